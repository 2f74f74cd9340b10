"""Users set up by administrators and scripts (`yikatong users add`): a user with one role in the
organization that holds that role for a region, the organization created when the county has none
yet. One transaction, audited (accounts.org_create for a new organization, accounts.user_create /
accounts.user_provision for the user).

Township stations belong to the department that owns the policy (a station of 民政 and one of 农业
in the same township are different organizations). Which department reviews a policy in a region is
known by the apps above (policies, rosters): they provide it through `provide_policy_department`
at AppConfig.ready, so accounts imports none of them."""
from __future__ import annotations

import secrets
from collections.abc import Callable

from django.db import transaction

from yikatong.audit.services import record
from yikatong.core.refusals import invalid
from yikatong.regions.models import Region
from yikatong.regions.selectors import by_code

from . import errors  # noqa: F401  (registers the refusal messages)
from .models import Organization, OrgKind, RoleGrant, User
from .roles import Role
from .services import organization_create, user_create

_policy_department: list[Callable] = []


def provide_policy_department(fn: Callable) -> Callable:
    """fn(policy_code, region) -> the line department (Organization) reviewing that policy there, or None."""
    _policy_department[:] = [fn]
    return fn


# role -> (organization kind, region level: 3 county / 4 township / 5 village / None any, code suffix, name suffix)
_HOME = {
    Role.VILLAGE_CLERK: (OrgKind.VILLAGE, 5, "", ""),
    Role.TOWNSHIP_OPERATOR: (OrgKind.TOWNSHIP_STATION, 4, "", ""),
    Role.TOWNSHIP_FINANCE: (OrgKind.TOWNSHIP_FINANCE, 4, "CZS", "财政所"),
    Role.TOWNSHIP_HEAD: (OrgKind.TOWNSHIP, 4, "ZF", "人民政府"),
    Role.DEPT_REVIEWER: (OrgKind.LINE_DEPARTMENT, None, "", ""),
    Role.DEPT_HEAD: (OrgKind.LINE_DEPARTMENT, None, "", ""),
    Role.FINANCE_REVIEWER: (OrgKind.FINANCE_BUREAU, None, "CZJ", "财政局"),
    Role.TREASURY: (OrgKind.FINANCE_BUREAU, None, "CZJ", "财政局"),
    Role.SYSADMIN: (OrgKind.FINANCE_BUREAU, None, "CZJ", "财政局"),
    Role.BANK: (OrgKind.AGENT_BANK, 3, "BANK", "农村信用合作联社（代发）"),
    Role.SUPERVISOR: (OrgKind.SUPERVISION, None, "SJJ", "审计局"),
    Role.DISCLOSURE_ADMIN: (OrgKind.DISCLOSURE, None, "ZWGK", "政务公开办公室"),
}
_LEVELS = {3: "县(市、区)", 4: "乡镇(街道)", 5: "村(社区)"}


def _region(code: str) -> Region:
    region = by_code(code)
    if region is None:
        raise invalid("USER_REGION_UNKNOWN", region=(code or "").strip())
    return region


def _up_to(region: Region, level: int) -> Region:
    while region.level > level and region.parent_id:
        region = region.parent
    return region


def _department(role: str, policy_code: str | None, region: Region) -> Organization:
    if not policy_code:
        raise invalid("USER_POLICY_REQUIRED", role=Role(role).label)
    dept = _policy_department[0](policy_code, region) if _policy_department else None
    if dept is None:
        raise invalid("USER_POLICY_UNKNOWN", policy=policy_code, region=region.code)
    return dept


def _free_code(code: str) -> str:
    candidate, n = code, 1
    while Organization.objects.filter(code=candidate).exists():
        n += 1
        candidate = f"{code}-{n}"
    return candidate


def organization_for(*, actor, role: str, region: Region, policy_code: str | None = None) -> Organization:
    """The organization holding `role` for `region`, created if missing (audited accounts.org_create)."""
    kind, level, suffix, name = _HOME[role]
    region = _up_to(region, 3 if level is None else level)  # a county role given a township: its county
    if level is not None and region.level != level:
        raise invalid("USER_ROLE_REGION_LEVEL", role=Role(role).label, level=_LEVELS[level], region=region.code)
    if kind == OrgKind.LINE_DEPARTMENT:
        return _department(role, policy_code, region)
    if kind == OrgKind.TOWNSHIP_STATION:
        dept = _department(role, policy_code, region)
        found = Organization.objects.filter(kind=kind, region=region, parent=dept).order_by("pk").first()
        if found is not None:
            return found
        short = dept.name.removeprefix(dept.region.name) if dept.region_id else dept.name
        tag = (dept.line or f"D{dept.pk}").upper()
        return organization_create(actor=actor, name=f"{region.name}{short}经办站所", kind=kind, region=region,
                                   code=_free_code(f"{region.code[:9]}-{tag}"), parent=dept)
    found = Organization.objects.filter(kind=kind, region=region).order_by("pk").first()
    if found is not None:
        return found
    code = region.code if kind == OrgKind.VILLAGE else f"{region.prefix}-{suffix}"
    parent = None
    if kind in (OrgKind.TOWNSHIP_FINANCE, OrgKind.VILLAGE):
        parent = Organization.objects.filter(kind=OrgKind.TOWNSHIP, region__code=(
            region.code if kind == OrgKind.TOWNSHIP_FINANCE else region.parent_id)).first()
    return organization_create(actor=actor, name=f"{region.name}{name}" if name else region.name, kind=kind,
                               region=region, code=_free_code(code), parent=parent)


@transaction.atomic
def user_provision(*, actor, username: str, role: str, region_code: str, policy_code: str | None = None,
                   password: str | None = None, full_name: str = "") -> tuple[User, str | None]:
    """Create `username` with `role` in the organization of that role for the region, or update the
    existing user (moved there, the role granted, the password set if given). Returns the user and the
    generated first password when one was generated (a new user without a password file)."""
    if role not in Role.values:
        from .errors import AccountRefusal

        raise AccountRefusal("ROLE_UNKNOWN", roles=role)
    region = _region(region_code)
    org = organization_for(actor=actor, role=role, region=region, policy_code=policy_code)
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        generated = None if password else secrets.token_urlsafe(12) + "Aa1!"
        user = user_create(actor=actor, username=username, password=password or generated,
                           full_name=full_name or username, organization=org, roles=[role],
                           must_change_password=generated is not None)
        return user, generated
    before = {"organization": user.organization.code if user.organization_id else None,
              "roles": sorted(user.role_set), "active": user.is_active}
    user.organization, user.is_active = org, True
    fields = ["organization", "is_active"]
    if password:
        from .passwords import check_new_password

        check_new_password(password, user)
        user.set_password(password)
        fields.append("password")
    user.save(update_fields=fields)
    RoleGrant.objects.get_or_create(user=user, role=role)
    if hasattr(user, "_role_cache"):
        del user._role_cache
    record(actor=actor, action="accounts.user_provision", obj=user, before=before,
           after={"organization": org.code, "roles": sorted(user.role_set), "active": True,
                  "password_set": bool(password)})
    return user, None


def user_named(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise invalid("USER_NOT_FOUND", username=username)
    return user
