"""Who may do what with catalogues and policies: role plus region level, checked by services
(authoritative) and by views (only to show or hide buttons)."""
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.regions.models import Region

DEPT_ROLES = (Role.DEPT_REVIEWER, Role.DEPT_HEAD)
# Roles that may read confidential (涉密) policies inside their scope. Village clerks, the
# disclosure office and banks publish or pay, so they never see them.
CONFIDENTIAL_READERS = frozenset({
    Role.FINANCE_REVIEWER, Role.TREASURY, Role.SUPERVISOR, Role.SYSADMIN, Role.DEPT_REVIEWER, Role.DEPT_HEAD,
    Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_FINANCE, Role.TOWNSHIP_HEAD,
})


def actor_region(actor) -> Region | None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.organization_id:
        return None
    return actor.organization.region


def is_finance_of(actor, region_code: str) -> bool:
    """A finance reviewer of exactly this region (财政部门业务科室 of that level)."""
    region = actor_region(actor)
    return region is not None and actor.has_role(Role.FINANCE_REVIEWER) and region.code == region_code


def is_upper_finance_of(actor, region: Region) -> bool:
    """Finance one level up (州 files the county's list, 省 the prefecture's); the province files its own."""
    return is_finance_of(actor, region.parent_id or region.code)


def is_finance_above_or_at(actor, region: Region) -> bool:
    mine = actor_region(actor)
    return mine is not None and actor.has_role(Role.FINANCE_REVIEWER) and region.code.startswith(mine.prefix)


def is_department_of(actor, region_code: str) -> bool:
    """A reviewer or head of a line department of exactly this region."""
    org = actor.organization if actor_region(actor) is not None else None
    return (
        org is not None and org.kind == OrgKind.LINE_DEPARTMENT and org.region_id == region_code
        and actor.has_role(*DEPT_ROLES)
    )


def can_edit_draft(actor, catalogue, department_id: int | None = None) -> bool:
    """Finance edits any policy of a draft catalogue of its region; a department only its own."""
    if not catalogue.is_draft:
        return False
    if is_finance_of(actor, catalogue.region_id):
        return True
    return is_department_of(actor, catalogue.region_id) and department_id in (None, actor.organization_id)


def can_request_change(actor, catalogue, department_id: int | None = None) -> bool:
    return catalogue.is_published and is_department_of(actor, catalogue.region_id) and department_id in (
        None, actor.organization_id,
    )


def sees_confidential(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and (
        bool(actor.role_set & CONFIDENTIAL_READERS) or (actor.is_superuser and not actor.organization_id)
    )
