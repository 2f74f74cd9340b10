"""The approval chain of change requests: steps from the local profile, and who decides a step.

A step names an organization kind at a region level (1 province, 2 prefecture, 3 county). The
decider must hold the step's role, belong to an organization of that kind whose region is at
that level and above (or equal to) the request's region. Line-department steps go to the
applicant itself at its own level, and above it to the applicant's superior department when
Organization.parent records one (业务上级); otherwise any line department of that level.
"""
from yikatong.accounts.models import Organization, OrgKind
from yikatong.accounts.roles import Role
from yikatong.core.profiles import Approver, LocalProfile

from .models import ChangeRequestStep, PolicyChangeRequest

STEP_ROLES = {
    OrgKind.LINE_DEPARTMENT: (Role.DEPT_HEAD, Role.DEPT_REVIEWER),
    OrgKind.FINANCE_BUREAU: (Role.FINANCE_REVIEWER,),
    OrgKind.TOWNSHIP: (Role.TOWNSHIP_HEAD,),  # a government (人民政府) decides through its head
}


def chain_for(profile: LocalProfile, region_level: int) -> list[Approver]:
    """Steps of the profile that apply to a request at this level (steps below it are skipped)."""
    return [a for a in profile.change_request_chain if a.level <= region_level]


def current_step(request: PolicyChangeRequest) -> ChangeRequestStep | None:
    if request.state != "pending":
        return None
    return next((s for s in request.steps.all() if s.index == request.current_step), None)


def _superiors(org: Organization) -> list[Organization]:
    chain, seen = [], set()
    while org.parent_id and org.parent_id not in seen:
        seen.add(org.parent_id)
        org = Organization.objects.select_related("region").get(pk=org.parent_id)
        chain.append(org)
    return chain


def may_decide(actor, request: PolicyChangeRequest, step: ChangeRequestStep | None) -> bool:
    if step is None or actor is None or not actor.is_authenticated or not actor.organization_id:
        return False
    org = actor.organization
    region = org.region
    if (
        actor.pk == request.created_by_id
        or org.kind != step.org_kind
        or region.level != step.level
        or not request.region_id.startswith(region.prefix)
        or not actor.has_role(*STEP_ROLES.get(step.org_kind, ()))
    ):
        return False
    if step.org_kind == OrgKind.LINE_DEPARTMENT:
        if step.level == request.region.level:
            return org.pk == request.applicant_id
        superiors = [o for o in _superiors(request.applicant) if o.region.level == step.level]
        return not superiors or org.pk in {o.pk for o in superiors}
    return True
