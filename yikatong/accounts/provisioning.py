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
from yikatong.core.refusals import Forbidden, invalid
from yikatong.regions.models import Region
from yikatong.regions.selectors import by_code

from . import errors  # noqa: F401  (registers the refusal messages)
from .models import Organization, OrgKind, RoleGrant, User
from .roles import Role
from .services import check_admin_scope, organization_create, user_create

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
                   password: str | None = None, full_name: str = "", phone: str = "") -> tuple[User, str | None]:
    """Create `username` with `role` in the organization of that role for the region, or update the
    existing user (moved there, the role granted, the password set if given). Returns the user and the
    generated first password when one was generated (a new user without a password file).
    `actor=None` is the command line; a system admin may provision only within their region, and
    may move only a user who is already within it."""
    if role not in Role.values:
        from .errors import AccountRefusal

        raise AccountRefusal("ROLE_UNKNOWN", roles=role)
    region = _region(region_code)
    if actor is not None:
        check_admin_scope(actor, Organization(region=region))
    org = organization_for(actor=actor, role=role, region=region, policy_code=policy_code)
    if actor is not None:
        check_admin_scope(actor, org)
    phone_fields = _phone_fields(phone) if phone else {}
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        generated = None if password else secrets.token_urlsafe(12) + "Aa1!"
        user = user_create(actor=actor, username=username, password=password or generated,
                           full_name=full_name or username, organization=org, roles=[role],
                           must_change_password=generated is not None)
        if phone_fields:
            User.objects.filter(pk=user.pk).update(**phone_fields)
            for name, value in phone_fields.items():
                setattr(user, name, value)
        return user, generated
    if actor is not None and user.organization_id:
        check_admin_scope(actor, user.organization)
    before = {"organization": user.organization.code if user.organization_id else None,
              "roles": sorted(user.role_set), "active": user.is_active, "full_name": user.full_name}
    user.organization, user.is_active = org, True
    fields = ["organization", "is_active"]
    if full_name:
        user.full_name = full_name
        fields.append("full_name")
    for name, value in phone_fields.items():
        setattr(user, name, value)
        fields.append(name)
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
                  "full_name": user.full_name, "password_set": bool(password), "phone_set": bool(phone)})
    return user, None


def user_named(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise invalid("USER_NOT_FOUND", username=username)
    return user


def _phone_fields(phone: str) -> dict:
    from yikatong.core.crypto import vault
    from yikatong.core.identifiers import IdentifierError, validate_phone
    from yikatong.core.masking import mask_phone

    try:
        digits = validate_phone(phone)
    except IdentifierError:
        raise invalid("USER_PHONE_INVALID", phone=mask_phone(phone)) from None
    return {"phone_enc": vault().encrypt(digits), "phone_masked": mask_phone(digits)}


def role_named(text: str) -> str | None:
    """A role by its code (township_operator) or its Chinese name (乡镇经办人员)."""
    text = (text or "").strip()
    if text in Role.values:
        return text
    return next((value for value, label in Role.choices if label == text), None)


# --- bulk import (`yikatong users import FILE.xlsx`, the users page) --------------------------------

IMPORT_HEADERS = ("用户名", "姓名", "角色", "区划代码", "政策代码", "手机")


def _import_columns():
    from yikatong.core.sheets import Column

    return [Column("用户名", ("账号",), required=True, kind="compact"),
            Column("姓名", required=True, kind="compact"),
            Column("角色", required=True, kind="compact"),
            Column("区划代码", ("区划",), required=True, kind="identifier"),
            Column("政策代码", ("政策",), kind="compact"),
            Column("手机", ("手机号", "手机号码"), kind="identifier")]


def import_template() -> bytes:
    """The import file's template: the header and one example row (the users page offers it)."""
    from yikatong.core.xlsx import write_xlsx

    return write_xlsx(IMPORT_HEADERS, [("zhangsan", "张三", "乡镇财政所", "141024100000", "", "13800138000")],
                      title="用户批量导入（角色填代码或中文名称；乡镇经办站所和主管部门的角色须填政策代码；手机可不填）",
                      text_columns=range(len(IMPORT_HEADERS)))


def _message_of(exc) -> str:
    from django.core.exceptions import ValidationError

    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return getattr(exc, "message", None) or str(exc)


@transaction.atomic
def users_import(*, actor, data: bytes, filename: str) -> list[tuple[User, str | None]]:
    """Create or update every user of a spreadsheet (columns 用户名, 姓名, 角色, 区划代码, 政策代码,
    手机), each as `user_provision` would. All or nothing: if any row is refused, nothing is changed
    and the refusal (USERS_IMPORT_ROWS) names every refused row. Returns (user, generated first
    password or None) per row, in file order."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from yikatong.core.refusals import Refusal
    from yikatong.core.sheets import read_sheet

    if actor is not None and not actor.has_role(Role.SYSADMIN):  # actor None: the CLI, run by the host's admin
        raise Forbidden("USER_ADMIN_ONLY")
    sheet = read_sheet(data, _import_columns(), filename=filename)
    problems = [str(e) for e in sheet.errors]
    rows, seen = [], {}
    for row in sheet.rows:
        problems += [str(e) for e in row.errors]
        username, role_text = row.get("用户名"), row.get("角色")
        role = role_named(role_text)
        if role is None:
            problems.append(f"第{row.line}行 角色“{role_text}”不存在")
        if username in seen:
            problems.append(f"第{row.line}行 用户名“{username}”与第{seen[username]}行重复")
        seen.setdefault(username, row.line)
        rows.append((row, role))
    if not rows and not problems:
        problems.append("文件中没有用户行")
    done = []
    if not sheet.errors:  # every row is tried (in this transaction, undone if any fails): all refusals at once
        for row, role in rows:
            if role is None or any(row.errors):
                continue
            try:
                with transaction.atomic():
                    done.append(user_provision(
                        actor=actor, username=row.get("用户名"), role=role, region_code=row.get("区划代码"),
                        policy_code=row.get("政策代码") or None, full_name=row.get("姓名"), phone=row.get("手机")))
            except (Refusal, ValidationError, PermissionDenied) as exc:
                problems.append(f"第{row.line}行 {_message_of(exc)}")
    if problems:
        shown = "；".join(problems[:30]) + (f"；另有 {len(problems) - 30} 处问题" if len(problems) > 30 else "")
        raise invalid("USERS_IMPORT_ROWS", count=len(problems), rows=shown)
    record(actor=actor, action="accounts.users_import", obj=None,
           after={"filename": filename, "users": [u.username for u, _ in done]})
    return done
