"""Second factor (TOTP, RFC 6238) with an attempt budget and replay refusal.

A code is accepted in the current 30-second step or the one before/after (clock drift). Each
verification claims an attempt first (accounts.lockout, settings YKT_TOTP_LOCKOUT_*): after T wrong
codes in a row the second factor is locked, counted atomically so parallel guesses cannot exceed T.
An accepted code records its time step; a code of that step or an earlier one is refused
(TOTP_REPLAYED), by a conditional UPDATE so two parallel uses of one code cannot both pass."""
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core import crypto

from . import lockout
from .models import User
from .errors import AccountRefusal

VALID_WINDOW = 1  # steps either side of now


def new_totp_secret() -> str:
    """A fresh secret for enrolment; nothing is stored until the user confirms a code."""
    import pyotp

    return pyotp.random_base32()


def matching_step(secret: str, code: str, *, at=None) -> int | None:
    """The time step (counter) whose code equals `code`, or None."""
    import pyotp
    from pyotp.utils import strings_equal

    code = (code or "").strip()
    if not secret or len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = at or timezone.now()
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if strings_equal(totp.generate_otp(step), code):
            return step
    return None


def _use_step(user_pk: int, step: int) -> bool:
    """Record `step` as used, only if it is later than the last used one; clears the budget."""
    fresh = Q(totp_last_counter__isnull=True) | Q(totp_last_counter__lt=step)
    return bool(User.objects.filter(Q(pk=user_pk) & fresh).update(
        totp_last_counter=step, totp_failures=0, totp_locked_until=None
    ))


def verify_second_factor(*, user: User, code: str) -> None:
    """Pass, or raise TOTP_NOT_ENABLED / TOTP_LOCKED / TOTP_INVALID / TOTP_REPLAYED. Audited."""
    if not user.totp_enabled or not user.totp_secret:
        raise AccountRefusal("TOTP_NOT_ENABLED")
    minutes = settings.YKT_TOTP_LOCKOUT_MINUTES
    attempt = lockout.claim(user.pk, lockout.TOTP, threshold=settings.YKT_TOTP_LOCKOUT_THRESHOLD, minutes=minutes)
    if not attempt.allowed:
        raise AccountRefusal("TOTP_LOCKED", minutes=minutes)
    step = matching_step(crypto.decrypt(user.totp_secret), code)
    with transaction.atomic():
        if step is not None and _use_step(user.pk, step):
            record(actor=user, action="accounts.totp_verified", obj=user)
            return
        failure = "TOTP_INVALID" if step is None else "TOTP_REPLAYED"
        record(actor=user, action="accounts.totp_failed" + (".locked" if attempt.locked_now else ""), obj=user,
               after={"reason": failure, "locked": attempt.locked_now})
    if attempt.locked_now:
        raise AccountRefusal("TOTP_LOCKED", minutes=minutes)
    raise AccountRefusal(failure)


def verify_totp(*, user: User, code: str) -> bool:
    """Boolean form of `verify_second_factor` (same budget, replay guard and audit)."""
    try:
        verify_second_factor(user=user, code=code)
    except AccountRefusal:
        return False
    return True
