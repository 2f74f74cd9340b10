"""Attempt budgets for passwords and TOTP codes, counted atomically in the database.

An attempt is *claimed* before the secret is checked, with one conditional UPDATE:

    UPDATE accounts_user
       SET failed_logins = CASE WHEN failed_logins >= T-1 THEN 0 ELSE failed_logins + 1 END,
           locked_until  = CASE WHEN failed_logins >= T-1 THEN :now+N ELSE NULL END
     WHERE id = :pk AND (locked_until IS NULL OR locked_until <= :now)

The row lock serialises concurrent claims, so of any number of parallel attempts exactly T are
allowed to check a secret; the T-th locks the account and every later one matches no row and is
refused without the secret being looked at. A correct secret clears the counter (`clear`)."""
from dataclasses import dataclass
from datetime import timedelta

from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from .models import User


@dataclass(frozen=True)
class Budget:
    counter: str  # field counting consecutive failures
    until: str  # field holding the end of the lock


LOGIN = Budget("failed_logins", "locked_until")
TOTP = Budget("totp_failures", "totp_locked_until")


@dataclass(frozen=True)
class Claim:
    allowed: bool  # False: the account is locked, the secret must not be checked
    locked_now: bool = False  # this attempt used the last of the budget and locked the account


def is_locked(user: User, budget: Budget = LOGIN) -> bool:
    until = getattr(user, budget.until)
    return bool(until and until > timezone.now())


def claim(user_pk: int, budget: Budget, *, threshold: int, minutes: int) -> Claim:
    now = timezone.now()
    reaches = Q(**{f"{budget.counter}__gte": max(threshold, 1) - 1})
    with transaction.atomic():
        matched = User.objects.filter(
            Q(pk=user_pk) & (Q(**{f"{budget.until}__isnull": True}) | Q(**{f"{budget.until}__lte": now}))
        ).update(**{
            budget.counter: Case(When(reaches, then=Value(0)), default=F(budget.counter) + 1),
            budget.until: Case(
                When(reaches, then=Value(now + timedelta(minutes=minutes))),
                default=Value(None), output_field=models.DateTimeField(),
            ),
        })
        if not matched:
            return Claim(allowed=False)
        # Still inside the transaction that holds the row: we read our own write.
        until = User.objects.filter(pk=user_pk).values_list(budget.until, flat=True).get()
    return Claim(allowed=True, locked_now=until is not None)


def clear(user_pk: int, budget: Budget, **also) -> int:
    """A correct secret: the budget starts again (and the lock, if this attempt set it, is lifted)."""
    return User.objects.filter(pk=user_pk).update(**{budget.counter: 0, budget.until: None}, **also)
