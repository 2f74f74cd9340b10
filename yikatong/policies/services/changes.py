"""Change requests (调整变更申请): filed by a line department, walked through the profile's
approval chain; the last approval publishes the next catalogue version, a rejection changes
nothing but the request."""
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core.profiles import current_profile
from yikatong.core.refusals import Forbidden, invalid
from yikatong.core.uploads import limit_for

from .. import errors  # noqa: F401  (registers the refusal messages)
from ..approvals import chain_for, may_decide
from ..models import ChangeKind, ChangeRequestStep, ChangeState, PolicyCatalogue, PolicyChangeRequest, StepDecision
from ..models.catalogue import CatalogueState
from ..permissions import can_request_change
from ..rows import copy_all, create_from_spec
from ..selectors import code_taken_in_chain, pending_change_for
from ..spec import PolicySpec, validate_spec


def _validate_content(actor, catalogue, kind, code, spec):
    existing = catalogue.policies.filter(code=code).first() if code else None
    if kind in (ChangeKind.CHANGE, ChangeKind.RETIRE):
        if existing is None:
            raise invalid("CHANGE_POLICY_NOT_FOUND", policy_code=code)
        if existing.department_id != actor.organization_id:
            raise Forbidden("CHANGE_NOT_OWN_POLICY")
    if kind in (ChangeKind.ADD, ChangeKind.CHANGE):
        if spec is None:
            raise invalid("CHANGE_SPEC_REQUIRED")
        if spec.department_id != actor.organization_id:
            raise invalid("CHANGE_DEPARTMENT_NOT_APPLICANT")
        validate_spec(spec, region_code=catalogue.region_id)
    if kind == ChangeKind.ADD:
        if existing is not None or code_taken_in_chain(code, catalogue.region_id, catalogue.year):
            raise invalid("CHANGE_CODE_TAKEN", policy_code=code)
    if kind == ChangeKind.CHANGE and spec.code != code:
        raise invalid("CHANGE_CODE_IMMUTABLE")
    return existing


@transaction.atomic
def change_request_file(
    *, actor, catalogue: PolicyCatalogue, kind: str, reason: str, policy_code: str = "",
    spec: PolicySpec | None = None, attachment=None,
) -> PolicyChangeRequest:
    """File 《补贴项目调整变更申请表》 against the published catalogue of the actor's region."""
    catalogue = PolicyCatalogue.objects.select_for_update().select_related("region").get(pk=catalogue.pk)
    if kind not in ChangeKind.values:
        raise invalid("CHANGE_KIND_REQUIRED")
    spec = spec.normalised() if spec is not None else None
    code = (spec.code if kind == ChangeKind.ADD and spec else policy_code).strip().upper()
    if not can_request_change(actor, catalogue):
        raise Forbidden("CHANGE_NOT_LINE_DEPARTMENT")
    if not reason.strip():
        raise invalid("CHANGE_REASON_REQUIRED")
    if attachment is not None and attachment.size > limit_for("change"):
        raise invalid("CHANGE_ATTACHMENT_TOO_LARGE", mb=limit_for("change") // (1024 * 1024))
    existing = _validate_content(actor, catalogue, kind, code, spec)
    if pending_change_for(catalogue.region_id, catalogue.year, code):
        raise invalid("CHANGE_ALREADY_PENDING", policy_code=code)
    steps = chain_for(current_profile(), catalogue.region.level)
    if not steps:
        raise invalid("CHANGE_CHAIN_MISSING")
    request = PolicyChangeRequest.objects.create(
        catalogue=catalogue, region=catalogue.region, year=catalogue.year, kind=kind, policy_code=code,
        policy_name=(spec.name if spec else existing.name), proposed=spec.to_dict() if spec else None,
        reason=reason.strip(), applicant=actor.organization, created_by=actor,
    )
    if attachment is not None:
        request.attachment.save(attachment.name, attachment, save=True)
    ChangeRequestStep.objects.bulk_create(
        ChangeRequestStep(request=request, index=i, level=a.level, org_kind=a.org_kind, label=a.label)
        for i, a in enumerate(steps)
    )
    record(actor=actor, action="policies.change_file", obj=request,
           after={"kind": kind, "code": code, "catalogue": catalogue.pk, "steps": [a.label for a in steps],
                  "proposed": request.proposed})
    return request


@transaction.atomic
def change_request_decide(*, actor, request: PolicyChangeRequest, approve: bool, comment: str = "") -> PolicyChangeRequest:
    """Approve or reject the current step. The last approval publishes a new catalogue version."""
    request = PolicyChangeRequest.objects.select_for_update().select_related("region", "applicant").get(pk=request.pk)
    if request.state != ChangeState.PENDING:
        raise invalid("CHANGE_NOT_PENDING", state=request.get_state_display())
    step = request.steps.get(index=request.current_step)
    if not may_decide(actor, request, step):
        raise Forbidden("CHANGE_STEP_NOT_YOURS", step=step.label)
    if not approve and not comment.strip():
        raise invalid("CHANGE_REJECT_REASON_REQUIRED")
    now = timezone.now()
    decided = ChangeRequestStep.objects.filter(pk=step.pk, decision="").update(
        decision=StepDecision.APPROVED if approve else StepDecision.REJECTED, comment=comment.strip(),
        decided_by=actor, organization=actor.organization, decided_at=now,
    )
    if not decided:
        raise invalid("CHANGE_STEP_DECIDED")
    last = request.current_step + 1 >= request.steps.count()
    guard = PolicyChangeRequest.objects.filter(pk=request.pk, state=ChangeState.PENDING, current_step=request.current_step)
    result = None
    if not approve:
        updated = guard.update(state=ChangeState.REJECTED, decided_at=now)
    elif last:
        result = _publish_next_version(request, actor)
        updated = guard.update(state=ChangeState.APPROVED, current_step=request.current_step + 1, decided_at=now,
                               result_catalogue=result)
    else:
        updated = guard.update(current_step=request.current_step + 1)
    if not updated:
        raise invalid("CHANGE_STATE_CHANGED")
    record(actor=actor, action="policies.change_" + ("approve" if approve else "reject"), obj=request,
           before={"step": step.label}, after={"comment": comment.strip(), "final": last or not approve,
                                               "new_catalogue": result.pk if result else None})
    request.refresh_from_db()
    return request


def _publish_next_version(request: PolicyChangeRequest, actor) -> PolicyCatalogue:
    """Copy the current published version plus the change into a new published version; the old
    one is kept, superseded."""
    current = PolicyCatalogue.objects.select_for_update().filter(
        region_id=request.region_id, year=request.year, state=CatalogueState.PUBLISHED
    ).first()
    if current is None:
        raise invalid("CHANGE_CATALOGUE_NOT_PUBLISHED")
    existing = current.policies.filter(code=request.policy_code).first()
    if request.kind == ChangeKind.ADD and existing is not None:
        raise invalid("CHANGE_ADD_CODE_EXISTS", policy_code=request.policy_code)
    if request.kind != ChangeKind.ADD and existing is None:
        raise invalid("CHANGE_POLICY_GONE", policy_code=request.policy_code, kind=request.get_kind_display())
    today = timezone.localdate()
    if not PolicyCatalogue.objects.filter(pk=current.pk, state=CatalogueState.PUBLISHED).update(
        state=CatalogueState.SUPERSEDED, superseded_on=today
    ):
        raise invalid("CHANGE_VERSION_CHANGED")
    version = PolicyCatalogue.objects.filter(region_id=request.region_id, year=request.year).aggregate(v=Max("version"))["v"]
    new = PolicyCatalogue.objects.create(
        region_id=request.region_id, year=request.year, version=version + 1, state=CatalogueState.PUBLISHED,
        previous=current, created_by=actor, submitted_at=current.submitted_at, filed_at=current.filed_at,
        filed_by=current.filed_by, published_on=today, published_by=actor,
    )
    copy_all(current, new, skip_codes=frozenset({request.policy_code}))
    if request.kind != ChangeKind.RETIRE:
        create_from_spec(new, PolicySpec.from_dict(request.proposed), previous=existing)
    return new
