"""Who may do what in the register (roles of DESIGN §1); the region check is accounts.scope."""
from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.core.refusals import Forbidden

from . import errors  # noqa: F401  (the refusal catalogue)

# Read the register (masked): the township's offices, line departments, finance, supervision.
VIEW_ROLES = frozenset({
    Role.VILLAGE_CLERK, Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_FINANCE, Role.TOWNSHIP_HEAD, Role.DEPT_REVIEWER,
    Role.DEPT_HEAD, Role.FINANCE_REVIEWER, Role.SUPERVISOR, Role.SYSADMIN,
})
# See one full ID number / account / phone at a time (each reveal is audited).
REVEAL_ROLES = frozenset({Role.TOWNSHIP_FINANCE, Role.DEPT_REVIEWER, Role.SYSADMIN})
# Keep the register: import it, record life events (乡镇管底册: the township finance office).
MAINTAIN_ROLES = frozenset({Role.TOWNSHIP_FINANCE, Role.SYSADMIN})
# Load other agencies' reference datasets (county finance bureau).
REFERENCE_LOAD_ROLES = frozenset({Role.FINANCE_REVIEWER, Role.SYSADMIN})
# Run the comparison (复核比对) on a list.
COMPARE_ROLES = frozenset({
    Role.TOWNSHIP_FINANCE, Role.TOWNSHIP_OPERATOR, Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER, Role.SUPERVISOR,
    Role.SYSADMIN,
})

# Social-security cards (社保卡): the station and the village notify people before payment and follow
# up their activation (seed 001 信息采集主体); the station requests an account change (seed 002: 站所收集
# 账户变更), the township finance office, which keeps the register, approves it (a second person).
CARD_FOLLOWUP_ROLES = frozenset({Role.VILLAGE_CLERK, Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_FINANCE})
ACCOUNT_CHANGE_REQUEST_ROLES = frozenset({Role.TOWNSHIP_OPERATOR})
ACCOUNT_CHANGE_APPROVE_ROLES = frozenset({Role.TOWNSHIP_FINANCE})


def require_role(actor, roles, what: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_role(*roles):
        raise Forbidden("REGISTRY_ROLE_NOT_ALLOWED", what=what)


def require_region(actor, region_code: str, what: str) -> None:
    if not region_in_scope(actor, region_code):
        raise Forbidden("REGISTRY_REGION_NOT_IN_SCOPE", what=what)
