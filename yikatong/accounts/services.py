"""Writes on users, roles, organizations and tokens. One transaction, one audit event each."""
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core import crypto

from .models import ApiToken, Organization, RoleGrant, User
from .roles import Role


def is_locked(user: User) -> bool:
    return bool(user.locked_until and user.locked_until > timezone.now())


@transaction.atomic
def record_login_failure(*, user: User) -> None:
    """Count a failed password; lock the account once the threshold is reached."""
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins", "locked_until"])
    locked = user.failed_logins >= settings.YKT_LOCKOUT_THRESHOLD
    if locked:
        until = timezone.now() + timedelta(minutes=settings.YKT_LOCKOUT_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
    record(
        actor=None,
        action="accounts.login_failed" + (".locked" if locked else ""),
        obj=user,
        after={"failed_logins": user.failed_logins, "locked": locked},
    )


@transaction.atomic
def record_login_success(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None, last_login=timezone.now())
    record(actor=user, action="accounts.login", obj=user)


@transaction.atomic
def record_logout(*, user: User) -> None:
    record(actor=user, action="accounts.logout", obj=user)


def _check_admin_scope(actor: User, organization: Organization) -> None:
    if not actor.has_role(Role.SYSADMIN):
        raise PermissionDenied("只有系统管理员可以管理用户")
    prefix = actor.scope_prefix
    if prefix is None or not organization.region_id.startswith(prefix):
        raise PermissionDenied("不能管理本辖区以外的单位和用户")


@transaction.atomic
def create_organization(*, actor: User | None, name: str, kind: str, region, code: str, parent=None) -> Organization:
    if actor is not None:
        probe = Organization(region=region)
        _check_admin_scope(actor, probe)
    org = Organization.objects.create(name=name, kind=kind, region=region, code=code, parent=parent)
    record(actor=actor, action="accounts.org_create", obj=org, after={"name": name, "kind": kind, "region": region.code})
    return org


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    full_name: str,
    organization: Organization,
    roles: list[str],
    must_change_password: bool = False,
) -> User:
    """Create a user with roles. `actor=None` only for system set-up (demo, migrations)."""
    if actor is not None:
        _check_admin_scope(actor, organization)
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"用户名“{username}”已存在")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(f"未知角色：{'、'.join(sorted(unknown))}")
    user = User(username=username, full_name=full_name, organization=organization, must_change_password=must_change_password)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in roles])
    record(
        actor=actor,
        action="accounts.user_create",
        obj=user,
        after={"username": username, "full_name": full_name, "organization": organization.code, "roles": sorted(roles)},
    )
    return user


@transaction.atomic
def change_password(*, user: User, old_password: str, new_password: str) -> None:
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.check_password(old_password):
        raise ValidationError("原密码不正确")
    if old_password == new_password:
        raise ValidationError("新密码不能与原密码相同")
    validate_password(new_password, locked)
    locked.set_password(new_password)
    locked.must_change_password = False
    locked.save(update_fields=["password", "must_change_password"])
    user.password = locked.password
    record(actor=user, action="accounts.password_change", obj=locked)


@transaction.atomic
def reset_password(*, actor: User | None, user: User, new_password: str) -> None:
    """System/admin reset: the user must change it at next login."""
    if actor is not None:
        _check_admin_scope(actor, user.organization)
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = actor is not None
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    record(actor=actor, action="accounts.password_reset", obj=user)


def new_totp_secret() -> str:
    """A fresh secret for enrolment; nothing is stored until the user confirms a code."""
    import pyotp

    return pyotp.random_base32()


def _totp_ok(secret: str, code: str) -> bool:
    import pyotp

    return bool(secret) and pyotp.TOTP(secret).verify((code or "").strip(), valid_window=1)


def verify_totp(*, user: User, code: str) -> bool:
    if not user.totp_enabled or not user.totp_secret:
        return False
    return _totp_ok(crypto.decrypt(user.totp_secret), code)


@transaction.atomic
def confirm_totp_enrolment(*, user: User, secret: str, code: str, second_factor_passed: bool) -> None:
    """Activate `secret` once the user proves it with a code. Replacing an active
    authenticator requires the current second factor in this session (or an admin reset)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.totp_enabled and not second_factor_passed:
        raise PermissionDenied("已启用动态口令，更换手机须先通过当前动态口令验证，或请管理员重置")
    if not _totp_ok(secret, code):
        raise ValidationError("动态口令不正确，请核对手机上的6位数字后重试")
    locked.totp_secret, locked.totp_enabled = crypto.encrypt(secret), True
    locked.save(update_fields=["totp_secret", "totp_enabled"])
    user.totp_secret, user.totp_enabled = locked.totp_secret, True
    record(actor=user, action="accounts.totp_enabled", obj=locked)


@transaction.atomic
def reset_totp(*, actor: User, user: User) -> None:
    """Admin reset of a lost authenticator: the user enrols again at next login."""
    _check_admin_scope(actor, user.organization)
    User.objects.filter(pk=user.pk).update(totp_secret="", totp_enabled=False)
    record(actor=actor, action="accounts.totp_reset", obj=user)


@transaction.atomic
def issue_api_token(*, user: User, name: str) -> str:
    """Create a token; the plain value is returned once and never stored."""
    raw = "ykt_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[4:12], key_hash=hashlib.sha256(raw.encode()).hexdigest()
    )
    record(actor=user, action="accounts.token_issue", obj=token, after={"name": name, "prefix": token.prefix})
    return raw


@transaction.atomic
def revoke_api_token(*, user: User, token_id: int) -> None:
    token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=user, action="accounts.token_revoke", obj=token)


def user_for_token(raw: str) -> User | None:
    """Read-only lookup used by API auth; `last_used_at` is a plain touch, not an audited action."""
    if not raw:
        return None
    digest = hashlib.sha256(raw.encode()).hexdigest()
    token = ApiToken.objects.select_related("user").filter(key_hash=digest, revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def unlock_user(*, actor: User, user: User) -> None:
    _check_admin_scope(actor, user.organization)
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    record(actor=actor, action="accounts.unlock", obj=user)
