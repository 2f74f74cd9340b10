"""Drawing on a quota: allocate, commit, pay, release. Every change of the drawn amounts is a
conditional UPDATE whose WHERE clause re-checks the balance, so two concurrent writers can never
overspend (PostgreSQL re-evaluates the condition after the row lock; SQLite serializes writers).

The private helpers write no audit event; each public service records exactly one.
"""
from django.db import transaction
from django.db.models import F

from yikatong.audit.services import record
from yikatong.core.money import Money
from yikatong.core.refusals import invalid

from .. import errors  # noqa: F401  (registers the refusal messages)
from ..models import FundCommitment, FundMovement, FundQuota, MovementKind

_DRAWN = F("allocated_fen") + F("committed_fen") + F("paid_fen")


def check_amount(amount_fen) -> int:
    if type(amount_fen) is not int or amount_fen <= 0:
        raise invalid("FUND_AMOUNT_INVALID", amount=repr(amount_fen))
    return amount_fen


def draw(quota: FundQuota, field: str, amount_fen: int, *, ref: str, actor, kind: str) -> None:
    """Add `amount_fen` to `field` (allocated/committed) only if the balance covers it."""
    updated = FundQuota.objects.filter(pk=quota.pk, received_fen__gte=_DRAWN + amount_fen).update(
        **{field: F(field) + amount_fen}
    )
    if not updated:
        fresh = FundQuota.objects.get(pk=quota.pk)
        raise invalid("QUOTA_BALANCE_INSUFFICIENT", quota=fresh.doc_number, balance=str(Money(fresh.balance_fen)),
                      amount=str(Money(amount_fen)))
    FundMovement.objects.create(quota=quota, kind=kind, amount_fen=amount_fen, ref=ref, actor=_user(actor))


def give_back(quota: FundQuota, field: str, amount_fen: int, *, ref: str, actor, kind: str, to_field: str | None = None) -> None:
    """Take `amount_fen` off `field` (and add it to `to_field`, e.g. committed -> paid)."""
    changes = {field: F(field) - amount_fen}
    if to_field:
        changes[to_field] = F(to_field) + amount_fen
    if not FundQuota.objects.filter(pk=quota.pk, **{f"{field}__gte": amount_fen}).update(**changes):
        raise invalid("QUOTA_GIVE_BACK_EXCEEDS", quota=quota.doc_number)
    FundMovement.objects.create(quota=quota, kind=kind, amount_fen=amount_fen, ref=ref, actor=_user(actor))


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def commit_part(quota: FundQuota, amount_fen: int, ref: str, actor) -> FundCommitment:
    existing = FundCommitment.objects.filter(quota=quota, ref=ref).first()
    if existing is not None:
        if existing.committed_fen == amount_fen:
            return existing  # a retried task: nothing more to do
        raise invalid("COMMITMENT_AMOUNT_MISMATCH", ref=ref, quota=quota.doc_number,
                      committed=str(Money(existing.committed_fen)))
    draw(quota, "committed_fen", amount_fen, ref=ref, actor=actor, kind=MovementKind.COMMIT)
    return FundCommitment.objects.create(quota=quota, ref=ref, committed_fen=amount_fen, outstanding_fen=amount_fen)


def settle_part(commitment: FundCommitment, amount_fen: int, actor, *, paid: bool) -> None:
    """Move part of the outstanding commitment to paid, or release it back to the balance."""
    column = "paid_fen" if paid else "released_fen"
    if not FundCommitment.objects.filter(pk=commitment.pk, outstanding_fen__gte=amount_fen).update(
        outstanding_fen=F("outstanding_fen") - amount_fen, **{column: F(column) + amount_fen}
    ):
        raise invalid("COMMITMENT_OUTSTANDING_SHORT", ref=commitment.ref, amount=str(Money(amount_fen)))
    give_back(commitment.quota, "committed_fen", amount_fen, ref=commitment.ref, actor=actor,
              kind=MovementKind.PAY if paid else MovementKind.RELEASE, to_field="paid_fen" if paid else None)


def _commitment(quota: FundQuota, ref: str) -> FundCommitment:
    commitment = FundCommitment.objects.select_for_update().select_related("quota").filter(quota=quota, ref=ref).first()
    if commitment is None:
        raise invalid("COMMITMENT_NOT_FOUND", quota=quota.doc_number, ref=ref)
    return commitment


@transaction.atomic
def commit_funds(*, actor, quota: FundQuota, amount_fen: int, ref: str) -> FundCommitment:
    """Reserve `amount_fen` of the quota for payment `ref` (e.g. a batch code). Calling it again
    with the same quota, ref and amount returns the same commitment (safe to retry)."""
    check_amount(amount_fen)
    if not ref.strip():
        raise invalid("COMMITMENT_REF_REQUIRED")
    before = FundCommitment.objects.filter(quota=quota, ref=ref).exists()
    commitment = commit_part(quota, amount_fen, ref, actor)
    if not before:
        record(actor=actor, action="funds.commit", obj=quota, after={"ref": ref, "amount_fen": amount_fen})
    return commitment


@transaction.atomic
def record_paid(*, actor, quota: FundQuota, amount_fen: int, ref: str) -> FundCommitment:
    """The bank paid `amount_fen` of commitment `ref`: committed -> paid."""
    check_amount(amount_fen)
    commitment = _commitment(quota, ref)
    settle_part(commitment, amount_fen, actor, paid=True)
    record(actor=actor, action="funds.paid", obj=quota, after={"ref": ref, "amount_fen": amount_fen})
    commitment.refresh_from_db()
    return commitment


@transaction.atomic
def release_commitment(*, actor, quota: FundQuota, ref: str, amount_fen: int | None = None) -> FundCommitment:
    """Give back (all, or `amount_fen` of) the outstanding commitment `ref` to the quota balance."""
    commitment = _commitment(quota, ref)
    amount_fen = commitment.outstanding_fen if amount_fen is None else check_amount(amount_fen)
    if amount_fen:
        settle_part(commitment, amount_fen, actor, paid=False)
        record(actor=actor, action="funds.release", obj=quota, after={"ref": ref, "amount_fen": amount_fen})
    commitment.refresh_from_db()
    return commitment
