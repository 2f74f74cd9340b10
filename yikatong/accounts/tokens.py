"""API tokens: issue, revoke, look up. Only a token's SHA-256 is stored; the plain value is shown
once. A token has a scope (READ: GET/HEAD only; WRITE: everything the owner's roles allow) and an
expiry chosen at issue (default settings.YKT_TOKEN_DEFAULT_DAYS, at most YKT_TOKEN_MAX_DAYS), and
every live token of a user dies when the password is changed or reset or the user is deactivated."""
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yikatong.audit.services import record

from .models import ApiToken, TokenRevocation, TokenScope, User
from .errors import AccountRefusal

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_api_token(*, user: User, name: str, scope: str = TokenScope.WRITE, days: int | None = None) -> str:
    """Create a token; the plain value is returned once and never stored. Code callers get a write
    token as before; the token page offers read first (accounts.forms.TokenForm)."""
    if scope not in TokenScope.values:
        raise AccountRefusal("TOKEN_SCOPE_UNKNOWN", scope=scope)
    days = settings.YKT_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.YKT_TOKEN_MAX_DAYS:
        raise AccountRefusal("TOKEN_LIFETIME", max_days=settings.YKT_TOKEN_MAX_DAYS)
    raw = "ykt_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[4:12], key_hash=_digest(raw), scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    record(actor=user, action="accounts.token_issue", obj=token, after={
        "name": name, "prefix": token.prefix, "scope": scope, "expires_at": token.expires_at.isoformat(),
    })
    return raw


@transaction.atomic
def revoke_api_token(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens. Another user's token and a token that does not exist
    get the same refusal (TOKEN_NOT_YOURS, 403), so ids reveal nothing."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise AccountRefusal("TOKEN_NOT_YOURS")
    if token.revoked_at is None:
        token.revoked_at, token.revoked_reason = timezone.now(), TokenRevocation.USER
        token.save(update_fields=["revoked_at", "revoked_reason"])
        record(actor=user, action="accounts.token_revoke", obj=token, after={"prefix": token.prefix})
    return token


def revoke_all_tokens(*, actor: User | None, user: User, reason: str) -> int:
    """Revoke every live token of `user` (password changed or reset, user deactivated). Runs inside
    the caller's transaction; one audit event naming the reason and the prefixes."""
    live = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    prefixes = sorted(live.values_list("prefix", flat=True))
    if not prefixes:
        return 0
    live.update(revoked_at=timezone.now(), revoked_reason=reason)
    record(actor=actor, action="accounts.token_revoke.auto", obj=user,
           after={"reason": reason, "count": len(prefixes), "prefixes": prefixes})
    return len(prefixes)


def token_for_key(raw: str) -> ApiToken | None:
    """The live token with this value (not revoked, not expired, owner active), or None.
    `last_used_at` is a plain touch, not an audited action."""
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_digest(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def user_for_token(raw: str) -> User | None:
    token = token_for_key(raw)
    return token.user if token else None


def allows(token: ApiToken, method: str) -> bool:
    """A read token may call GET/HEAD (and OPTIONS) operations only."""
    return token.scope == TokenScope.WRITE or method.upper() in SAFE_METHODS
