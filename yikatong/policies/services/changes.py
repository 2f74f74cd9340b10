"""Change requests (调整变更申请): filed by a line department, walked through the profile's
approval chain; the last approval publishes the next catalogue version, a rejection changes
nothing but the request."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core.profiles import current_profile
from yikatong.core.uploads import limit_for

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
            raise ValidationError(f"当前清单中没有统一代码为“{code}”的政策")
        if existing.department_id != actor.organization_id:
            raise PermissionDenied("只能对本部门主管的补贴政策提出调整或取消申请")
    if kind in (ChangeKind.ADD, ChangeKind.CHANGE):
        if spec is None:
            raise ValidationError("请填写变更后的政策内容")
        if spec.department_id != actor.organization_id:
            raise ValidationError("变更后的主管部门须为申请单位")
        validate_spec(spec, region_code=catalogue.region_id)
    if kind == ChangeKind.ADD:
        if existing is not None or code_taken_in_chain(code, catalogue.region_id, catalogue.year):
            raise ValidationError(f"统一代码“{code}”已被使用，新增政策请另编代码")
    if kind == ChangeKind.CHANGE and spec.code != code:
        raise ValidationError("调整时不能修改统一代码；如需更换代码，请先申请取消再申请新增")
    return existing


@transaction.atomic
def file_change_request(
    *, actor, catalogue: PolicyCatalogue, kind: str, reason: str, policy_code: str = "",
    spec: PolicySpec | None = None, attachment=None,
) -> PolicyChangeRequest:
    """File 《补贴项目调整变更申请表》 against the published catalogue of the actor's region."""
    catalogue = PolicyCatalogue.objects.select_for_update().select_related("region").get(pk=catalogue.pk)
    if kind not in ChangeKind.values:
        raise ValidationError("请选择变更类型")
    spec = spec.normalised() if spec is not None else None
    code = (spec.code if kind == ChangeKind.ADD and spec else policy_code).strip().upper()
    if not can_request_change(actor, catalogue):
        raise PermissionDenied("只有本级业务主管部门可以对已公布的清单提出调整变更申请")
    if not reason.strip():
        raise ValidationError("请填写变更理由")
    if attachment is not None and attachment.size > limit_for("change"):
        raise ValidationError(f"附件不能超过{limit_for('change') // (1024 * 1024)}MB")
    existing = _validate_content(actor, catalogue, kind, code, spec)
    if pending_change_for(catalogue.region_id, catalogue.year, code):
        raise ValidationError(f"“{code}”已有审批中的变更申请，请等其办结后再申请")
    steps = chain_for(current_profile(), catalogue.region.level)
    if not steps:
        raise ValidationError("本地配置没有设置调整变更的审批流程，请联系系统管理员")
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
def decide_change_step(*, actor, request: PolicyChangeRequest, approve: bool, comment: str = "") -> PolicyChangeRequest:
    """Approve or reject the current step. The last approval publishes a new catalogue version."""
    request = PolicyChangeRequest.objects.select_for_update().select_related("region", "applicant").get(pk=request.pk)
    if request.state != ChangeState.PENDING:
        raise ValidationError(f"该申请已{request.get_state_display()}，不能再审批")
    step = request.steps.get(index=request.current_step)
    if not may_decide(actor, request, step):
        raise PermissionDenied(f"当前环节为“{step.label}”，您不是该环节的审批单位")
    if not approve and not comment.strip():
        raise ValidationError("不同意时须填写理由")
    now = timezone.now()
    decided = ChangeRequestStep.objects.filter(pk=step.pk, decision="").update(
        decision=StepDecision.APPROVED if approve else StepDecision.REJECTED, comment=comment.strip(),
        decided_by=actor, organization=actor.organization, decided_at=now,
    )
    if not decided:
        raise ValidationError("本环节已有审批意见，请刷新页面")
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
        raise ValidationError("申请状态已被他人更改，请刷新页面")
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
        raise ValidationError("该年度清单已不是公布状态，无法纳入变更")
    existing = current.policies.filter(code=request.policy_code).first()
    if request.kind == ChangeKind.ADD and existing is not None:
        raise ValidationError(f"清单中已有“{request.policy_code}”，无法新增")
    if request.kind != ChangeKind.ADD and existing is None:
        raise ValidationError(f"清单中已没有“{request.policy_code}”，无法{request.get_kind_display()}")
    today = timezone.localdate()
    if not PolicyCatalogue.objects.filter(pk=current.pk, state=CatalogueState.PUBLISHED).update(
        state=CatalogueState.SUPERSEDED, superseded_on=today
    ):
        raise ValidationError("清单版本已被他人更新，请刷新页面")
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
