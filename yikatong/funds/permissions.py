"""Who may read and manage quotas."""
from yikatong.accounts.roles import Role

READERS = frozenset({Role.FINANCE_REVIEWER, Role.TREASURY, Role.SUPERVISOR, Role.SYSADMIN, Role.DEPT_REVIEWER, Role.DEPT_HEAD})


def manages(actor, region_code: str) -> bool:
    """The finance reviewer of exactly the quota's region manages it (收文、分配、下达)."""
    org = getattr(actor, "organization", None) if getattr(actor, "is_authenticated", False) else None
    return org is not None and actor.has_role(Role.FINANCE_REVIEWER) and org.region_id == region_code


def reads(actor) -> bool:
    return getattr(actor, "is_authenticated", False) and bool(actor.role_set & READERS)
