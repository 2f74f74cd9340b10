"""Writes on users, roles, organizations and tokens. One transaction, one audit event each (a password
change, reset or deactivation that also revokes API tokens adds one `accounts.token_revoke.auto` event)."""
from django.db import transaction
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core import crypto
from yikatong.core.refusals import Forbidden

from . import errors  # noqa: F401  (registers the refusal messages)
from . import lockout, tokens, totp
from .models import Organization, RoleGrant, TokenRevocation, User
from .passwords import check_new_password
from .errors import AccountRefusal
from .roles import Role


def is_locked(user: User) -> bool:
    return lockout.is_locked(user, lockout.LOGIN)


@transaction.atomic
def login_failure_record(*, user: User, locked: bool) -> None:
    """Audit a wrong password; the attempt itself was counted by `lockout.claim` before the check."""
    record(
        actor=None,
        action="accounts.login_failed" + (".locked" if locked else ""),
        obj=user,
        after={"locked": locked},
    )


@transaction.atomic
def login_success_record(*, user: User) -> None:
    lockout.clear(user.pk, lockout.LOGIN, last_login=timezone.now())
    record(actor=user, action="accounts.login", obj=user)


@transaction.atomic
def logout_record(*, user: User) -> None:
    record(actor=user, action="accounts.logout", obj=user)


def check_admin_scope(actor: User, organization: Organization) -> None:
    """Only a system admin manages users, and only in organizations of their region subtree."""
    if not actor.has_role(Role.SYSADMIN):
        raise Forbidden("USER_ADMIN_ONLY")
    prefix = actor.scope_prefix
    if prefix is None or not organization.region_id.startswith(prefix):
        raise Forbidden("USER_ORG_NOT_IN_SCOPE")


@transaction.atomic
def organization_create(*, actor: User | None, name: str, kind: str, region, code: str, parent=None) -> Organization:
    if actor is not None:
        probe = Organization(region=region)
        check_admin_scope(actor, probe)
    org = Organization.objects.create(name=name, kind=kind, region=region, code=code, parent=parent)
    record(actor=actor, action="accounts.org_create", obj=org, after={"name": name, "kind": kind, "region": region.code})
    return org


@transaction.atomic
def user_create(
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
        check_admin_scope(actor, organization)
    if User.objects.filter(username=username).exists():
        raise AccountRefusal("USERNAME_TAKEN", username=username)
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise AccountRefusal("ROLE_UNKNOWN", roles="、".join(sorted(unknown)))
    user = User(username=username, full_name=full_name, organization=organization, must_change_password=must_change_password)
    check_new_password(password, user)
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
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """The user's own change. Every API token of the user is revoked with the old password."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.check_password(old_password):
        raise AccountRefusal("PASSWORD_OLD_WRONG")
    if old_password == new_password:
        raise AccountRefusal("PASSWORD_UNCHANGED")
    check_new_password(new_password, locked)
    locked.set_password(new_password)
    locked.must_change_password = False
    locked.save(update_fields=["password", "must_change_password"])
    user.password = locked.password
    user.must_change_password = False
    record(actor=user, action="accounts.password_change", obj=locked)
    tokens.revoke_all_tokens(actor=user, user=locked, reason=TokenRevocation.PASSWORD_CHANGE)


@transaction.atomic
def password_reset(*, actor: User | None, user: User, new_password: str) -> None:
    """System/admin reset: the user must change it at next login; their API tokens are revoked."""
    if actor is not None:
        check_admin_scope(actor, user.organization)
    check_new_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = actor is not None
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    record(actor=actor, action="accounts.password_reset", obj=user)
    tokens.revoke_all_tokens(actor=actor, user=user, reason=TokenRevocation.PASSWORD_RESET)


@transaction.atomic
def user_deactivate(*, actor: User | None, user: User) -> None:
    """Admin deactivation: the user can no longer sign in and their API tokens are revoked.
    `actor=None`: the command line (`yikatong users deactivate`)."""
    if actor is not None:
        check_admin_scope(actor, user.organization)
        if user.pk == actor.pk:
            raise AccountRefusal("USER_DEACTIVATE_SELF")
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    record(actor=actor, action="accounts.deactivate", obj=user)
    tokens.revoke_all_tokens(actor=actor, user=user, reason=TokenRevocation.DEACTIVATED)


@transaction.atomic
def user_update(*, actor: User, user: User, roles: list[str] | None = None, organization: Organization | None = None,
                active: bool | None = None, reset_second_factor: bool = False) -> User:
    """A system admin changes a user of their region: the roles (the whole set), the organization
    (also within the region), active or not, and/or resets the second factor. Deactivation and the
    second-factor reset are `user_deactivate` and `totp_reset` (their own events and effects); the
    rest is one event accounts.user_update."""
    check_admin_scope(actor, user.organization)
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = {"roles": sorted(locked.role_set), "organization": locked.organization.code if locked.organization_id else None,
              "active": locked.is_active}
    after = dict(before)
    if roles is not None:
        unknown = set(roles) - set(Role.values)
        if unknown:
            raise AccountRefusal("ROLE_UNKNOWN", roles="、".join(sorted(unknown)))
        if not roles:
            raise AccountRefusal("USER_ROLES_EMPTY")
        if locked.pk == actor.pk and Role.SYSADMIN not in roles:
            raise AccountRefusal("USER_ADMIN_SELF_DEMOTE")
        RoleGrant.objects.filter(user=locked).exclude(role__in=roles).delete()
        for role in set(roles) - locked.role_set:
            RoleGrant.objects.create(user=locked, role=role)
        after["roles"] = sorted(set(roles))
    if organization is not None and organization.pk != locked.organization_id:
        check_admin_scope(actor, organization)
        locked.organization = organization
        locked.save(update_fields=["organization"])
        after["organization"] = organization.code
    if active is True and not locked.is_active:
        User.objects.filter(pk=locked.pk).update(is_active=True, failed_logins=0, locked_until=None)
        after["active"] = True
    if after != before:
        record(actor=actor, action="accounts.user_update", obj=locked, before=before, after=after)
    if active is False and locked.is_active:
        user_deactivate(actor=actor, user=locked)
    if reset_second_factor:
        totp_reset(actor=actor, user=locked)
    fresh = User.objects.select_related("organization").get(pk=locked.pk)
    return fresh


new_totp_secret = totp.new_totp_secret
verify_totp = totp.verify_totp
verify_second_factor = totp.verify_second_factor


@transaction.atomic
def totp_enrolment_confirm(*, user: User, secret: str, code: str, second_factor_passed: bool) -> None:
    """Activate `secret` once the user proves it with a code. Replacing an active
    authenticator requires the current second factor in this session (or an admin reset).
    The enrolment code's time step is recorded, so it cannot be replayed at verification."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.totp_enabled and not second_factor_passed:
        raise AccountRefusal("TOTP_REPLACE_NEEDS_CURRENT")
    step = totp.matching_step(secret, code)
    if step is None:
        raise AccountRefusal("TOTP_INVALID")
    locked.totp_secret, locked.totp_enabled = crypto.encrypt(secret), True
    locked.totp_last_counter, locked.totp_failures, locked.totp_locked_until = step, 0, None
    locked.save(update_fields=["totp_secret", "totp_enabled", "totp_last_counter", "totp_failures", "totp_locked_until"])
    user.totp_secret, user.totp_enabled = locked.totp_secret, True
    record(actor=user, action="accounts.totp_enabled", obj=locked)


@transaction.atomic
def totp_reset(*, actor: User, user: User) -> None:
    """Admin reset of a lost authenticator: the user enrols again at next login."""
    check_admin_scope(actor, user.organization)
    User.objects.filter(pk=user.pk).update(
        totp_secret="", totp_enabled=False, totp_failures=0, totp_locked_until=None, totp_last_counter=None
    )
    record(actor=actor, action="accounts.totp_reset", obj=user)


issue_api_token = tokens.issue_api_token
revoke_api_token = tokens.revoke_api_token
user_for_token = tokens.user_for_token


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> None:
    check_admin_scope(actor, user.organization)
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None, totp_failures=0, totp_locked_until=None)
    record(actor=actor, action="accounts.unlock", obj=user)
