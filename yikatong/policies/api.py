"""JSON API of the policy catalogue. Every operation needs a session or token (NinjaAPI auth)."""
import datetime

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status, UploadedFile

from . import public, selectors
from .choices import Carrier, Disburser, Intake, Unit
from .spec import PolicySpec, standard_text

router = Router(tags=["补贴政策"])


class PolicyOut(Schema):
    id: int
    code: str
    name: str
    department: str
    target_group: str
    unit: str
    rate_fen: int | None
    tiers: list[dict]
    standard: str
    frequency: str
    means_tested: bool
    intake: str
    democratic_review: bool
    confidential: bool
    exclusive_codes: list[str]
    age_min: int | None
    age_max: int | None
    catalogue_region: str
    catalogue_version: int


class CatalogueOut(Schema):
    id: int
    region_code: str
    region_name: str
    year: int
    version: int
    state: str
    published_on: datetime.date | None


class CatalogueDetailOut(CatalogueOut):
    policies: list[PolicyOut]


def _policy(p) -> dict:
    return {
        "id": p.pk, "code": p.code, "name": p.name, "department": p.department.name, "target_group": p.target_group,
        "unit": p.unit, "rate_fen": p.rate_fen,
        "tiers": [{"key": t.key, "label": t.label, "rate_fen": t.rate_fen, "age_min": t.age_min, "age_max": t.age_max}
                  for t in p.tiers.all()],
        "standard": standard_text(PolicySpec.from_policy(p)), "frequency": p.frequency, "means_tested": p.means_tested,
        "intake": p.intake, "democratic_review": p.democratic_review,
        "confidential": p.confidential, "exclusive_codes": list(p.exclusive_codes), "age_min": p.age_min,
        "age_max": p.age_max, "catalogue_region": p.catalogue.region_id, "catalogue_version": p.catalogue.version,
    }


def _catalogue(c) -> dict:
    return {"id": c.pk, "region_code": c.region_id, "region_name": c.region.name, "year": c.year, "version": c.version,
            "state": c.state, "published_on": c.published_on}


@router.get("/catalogues", response=list[CatalogueOut], summary="可见的补贴政策清单")
def catalogues(request, year: int | None = None):
    qs = selectors.catalogues_for(request.user)
    if year:
        qs = qs.filter(year=year)
    return [_catalogue(c) for c in qs[:500]]


@router.get("/catalogues/{catalogue_id}", response=CatalogueDetailOut, summary="清单及其政策")
def catalogue(request, catalogue_id: int):
    c = get_object_or_404(selectors.catalogues_for(request.user), pk=catalogue_id)
    return {**_catalogue(c), "policies": [_policy(p) for p in selectors.catalogue_policies(c, request.user)]}


@router.get("/payable", response=list[PolicyOut], summary="某区划某年度可发放的补贴政策")
def payable(request, region: str, year: int):
    """Policies on the published catalogues of the region and above, limited to what the user may read."""
    visible = selectors.policies_for(request.user)
    qs = selectors.payable_policies(region, year).filter(pk__in=visible.values("pk")).prefetch_related("tiers")
    return [_policy(p) for p in qs]


@router.get("/published/{region_code}", response=list[PolicyOut], summary="公开的补贴政策清单（不含涉密）")
def published(request, region_code: str, year: int | None = None):
    region = public.find_region(region_code)
    if region is None:
        return []
    return [_policy(p) for p in public.public_policies(region.code, year or public.default_year())]


# --- writes: catalogues, policies, basis documents, change requests ---------------------------------
# Each operation calls the service the catalogue pages call: role and region (CATALOGUE_*, POLICY_*,
# CHANGE_* codes, 403), the input (400) and the state (409: not a draft, a transition not allowed
# from the state, a request no longer pending) are refused there, with the same audit event.

class CatalogueCreateIn(Schema):
    year: int
    copy_from_last_year: bool = True


class TransitionIn(Schema):
    reason: str = ""


@router.post("/catalogues", response={201: CatalogueOut}, url_name="policies_catalogue_create",
             summary="新建本级年度补贴政策清单草稿（本级财政部门；可以上年已公布清单为基础）")
def catalogue_create(request, payload: CatalogueCreateIn):
    from yikatong.core.refusals import Forbidden

    from . import permissions, services

    region = permissions.actor_region(request.user)
    if region is None:  # no organisation, no region: the service has nothing to check against
        raise Forbidden("CATALOGUE_CREATE_NOT_FINANCE")
    c = services.catalogue_create(actor=request.user, region=region, year=payload.year,
                                  copy_from_last_year=payload.copy_from_last_year)
    return Status(201, _catalogue(c))


@router.post("/catalogues/{catalogue_id}/transitions/{action}", response=CatalogueOut,
             url_name="policies_catalogue_transition",
             summary="清单流转：submit 报送备案 / file 备案 / return 退回（须写理由）/ publish 公布；状态不允许返回 409")
def catalogue_transition(request, catalogue_id: int, action: str, payload: TransitionIn):
    from . import services

    c = get_object_or_404(selectors.catalogues_for(request.user), pk=catalogue_id)
    return _catalogue(services.catalogue_transition(actor=request.user, catalogue=c, action=action,
                                                    reason=payload.reason))


class TierIn(Schema):
    key: str
    label: str
    rate_fen: int
    age_min: int | None = None
    age_max: int | None = None


class BasisIn(Schema):
    number: str
    title: str
    issued_on: datetime.date | None = None


class PolicySpecIn(Schema):
    """The content of a policy (policies.spec.PolicySpec); money in fen, shares in basis points."""
    code: str
    name: str
    department_id: int | None = None  # a line department's user: its own department
    line: str
    target_group: str
    frequency: str
    local_name: str = ""
    target_description: str = ""
    unit: str = Unit.PERSON.value
    rate_fen: int | None = None
    tier_basis: str = ""
    tiers: list[TierIn] = []
    standard_note: str = ""
    share_central_bp: int = 0
    share_province_bp: int = 0
    share_prefecture_bp: int = 0
    share_county_bp: int = 0
    disburser: str = Disburser.TOWNSHIP.value
    carrier: str = Carrier.SOCIAL_SECURITY_CARD.value
    confidential: bool = False
    means_tested: bool = False
    exclusive_codes: list[str] = []
    age_min: int | None = None
    age_max: int | None = None
    residence_required: bool = True
    intake: str = Intake.ROSTER.value
    democratic_review: bool = False
    basis: list[BasisIn] = []


def _spec(request, payload: PolicySpecIn) -> PolicySpec:
    from .spec import BasisSpec, TierSpec

    data = payload.dict()
    if data["department_id"] is None:
        org = request.user.organization
        data["department_id"] = org.pk if org is not None and org.kind == "line_department" else 0
    data["tiers"] = tuple(TierSpec(**t) for t in data["tiers"])
    data["basis"] = tuple(BasisSpec(**b) for b in data["basis"])
    data["exclusive_codes"] = tuple(data["exclusive_codes"])
    return PolicySpec(**data)


class BasisOut(Schema):
    id: int
    number: str
    title: str
    issued_on: datetime.date | None
    has_file: bool


class PolicyDetailOut(PolicyOut):
    catalogue: int
    basis: list[BasisOut]


def _policy_detail(p) -> dict:
    return {**_policy(p), "catalogue": p.catalogue_id,
            "basis": [{"id": b.pk, "number": b.number, "title": b.title, "issued_on": b.issued_on,
                       "has_file": bool(b.file)} for b in p.basis_documents.all()]}


@router.get("/policies/{policy_id}", response=PolicyDetailOut, url_name="policies_policy",
            summary="一项补贴政策及其政策依据文件")
def policy(request, policy_id: int):
    return _policy_detail(get_object_or_404(selectors.policies_for(request.user), pk=policy_id))


@router.post("/catalogues/{catalogue_id}/policies", response={201: PolicyDetailOut}, url_name="policies_policy_add",
             summary="向草稿清单添加补贴政策（本级财政部门或主管部门本部门政策）；清单不是草稿返回 409")
def policy_add(request, catalogue_id: int, payload: PolicySpecIn):
    from . import services

    c = get_object_or_404(selectors.catalogues_for(request.user), pk=catalogue_id)
    return Status(201, _policy_detail(services.policy_add(actor=request.user, catalogue=c, spec=_spec(request, payload))))


@router.post("/policies/{policy_id}", response=PolicyDetailOut, url_name="policies_policy_update",
             summary="修改草稿清单中的补贴政策（整体替换内容）；清单不是草稿返回 409")
def policy_update(request, policy_id: int, payload: PolicySpecIn):
    from . import services

    p = get_object_or_404(selectors.policies_for(request.user), pk=policy_id)
    return _policy_detail(services.policy_update(actor=request.user, policy=p, spec=_spec(request, payload)))


class Done(Schema):
    id: int
    done: bool


@router.post("/policies/{policy_id}/remove", response=Done, url_name="policies_policy_remove",
             summary="从草稿清单中移除补贴政策；已被引用或清单不是草稿返回 409")
def policy_remove(request, policy_id: int):
    from . import services

    p = get_object_or_404(selectors.policies_for(request.user), pk=policy_id)
    services.policy_remove(actor=request.user, policy=p)
    return {"id": policy_id, "done": True}


def _basis(request, basis_id: int):
    from .models import PolicyBasis

    return get_object_or_404(PolicyBasis.objects.filter(policy__in=selectors.policies_for(request.user)), pk=basis_id)


@router.post("/basis/{basis_id}/file", response=BasisOut, url_name="policies_basis_upload",
             summary="上传政策依据文件扫描件（multipart 字段 file：PDF、OFD 或图片）")
def basis_upload(request, basis_id: int, file: UploadedFile = File(...)):
    from yikatong.core import uploads

    from . import services

    b = _basis(request, basis_id)
    uploads.check(file, "policy", request)
    b = services.basis_file_attach(actor=request.user, basis=b, file=file)
    return {"id": b.pk, "number": b.number, "title": b.title, "issued_on": b.issued_on, "has_file": bool(b.file)}


def _serve(field):
    from django.http import FileResponse, Http404

    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


@router.get("/basis/{basis_id}/file", url_name="policies_basis_file", summary="下载政策依据文件")
def basis_file(request, basis_id: int):
    return _serve(_basis(request, basis_id).file)


class StepOut(Schema):
    index: int
    label: str
    decision: str
    comment: str
    decided_by: str | None
    decided_at: datetime.datetime | None


class ChangeOut(Schema):
    id: int
    catalogue: int
    region: str
    year: int
    kind: str
    policy_code: str
    policy_name: str
    proposed: dict | None
    reason: str
    state: str
    current_step: int
    has_attachment: bool
    result_catalogue: int | None
    steps: list[StepOut]


def _change(c) -> dict:
    return {"id": c.pk, "catalogue": c.catalogue_id, "region": c.region_id, "year": c.year, "kind": c.kind,
            "policy_code": c.policy_code, "policy_name": c.policy_name, "proposed": c.proposed, "reason": c.reason,
            "state": c.state, "current_step": c.current_step, "has_attachment": bool(c.attachment),
            "result_catalogue": c.result_catalogue_id,
            "steps": [{"index": s.index, "label": s.label, "decision": s.decision, "comment": s.comment,
                       "decided_by": s.decided_by.username if s.decided_by_id else None, "decided_at": s.decided_at}
                      for s in c.steps.order_by("index")]}


@router.get("/changes", response=list[ChangeOut], url_name="policies_changes", summary="本人可见的调整变更申请")
def changes(request, state: str = ""):
    qs = selectors.change_requests_for(request.user)
    if state:
        qs = qs.filter(state=state)
    return [_change(c) for c in qs.prefetch_related("steps")[:200]]


def _change_or_404(request, change_id: int):
    return get_object_or_404(selectors.change_requests_for(request.user), pk=change_id)


@router.get("/changes/{change_id}", response=ChangeOut, url_name="policies_change", summary="调整变更申请及审批环节")
def change(request, change_id: int):
    return _change(_change_or_404(request, change_id))


@router.post("/catalogues/{catalogue_id}/changes", response={201: ChangeOut}, url_name="policies_change_file",
             summary="提出调整变更申请（multipart：kind add/change/retire、reason、policy_code、spec 政策内容 JSON、"
                     "可选 attachment 申请表扫描件）；同一政策已有待审申请返回 409")
def change_file(request, catalogue_id: int, kind: str = Form(...), reason: str = Form(""), policy_code: str = Form(""),
                spec: str = Form(""), attachment: UploadedFile | None = File(None)):
    import json

    from pydantic import ValidationError as PydanticError

    from yikatong.core import uploads
    from yikatong.core.refusals import invalid

    from . import services

    c = get_object_or_404(selectors.catalogues_for(request.user), pk=catalogue_id)
    content = None
    if spec.strip():
        try:
            content = _spec(request, PolicySpecIn.model_validate(json.loads(spec)))
        except (ValueError, PydanticError):
            raise invalid("CHANGE_SPEC_UNREADABLE") from None
    if attachment is not None:
        uploads.check(attachment, "change", request)
    r = services.change_request_file(actor=request.user, catalogue=c, kind=kind, reason=reason,
                                     policy_code=policy_code, spec=content, attachment=attachment)
    return Status(201, _change(r))


class DecisionIn(Schema):
    decision: str  # approve / reject
    comment: str = ""


@router.post("/changes/{change_id}/decide", response=ChangeOut, url_name="policies_change_decide",
             summary="审批调整变更申请的当前环节：approve 同意 / reject 驳回（须写理由）；已办结返回 409")
def change_decide(request, change_id: int, payload: DecisionIn):
    from . import services

    from yikatong.core.refusals import invalid

    c = _change_or_404(request, change_id)
    if payload.decision not in ("approve", "reject"):
        raise invalid("CHANGE_DECISION_UNKNOWN")
    return _change(services.change_request_decide(actor=request.user, request=c, approve=payload.decision == "approve",
                                                  comment=payload.comment))


@router.get("/changes/{change_id}/attachment", url_name="policies_change_attachment",
            summary="下载调整变更申请的附件（申请表及文件扫描件）")
def change_attachment(request, change_id: int):
    return _serve(_change_or_404(request, change_id).attachment)
