"""JSON API of application intake (mounted at /api/applications/). Every operation calls the service
its page calls: the same role, scope, refusals (JSON {"code", "message"}) and audit. An application
the caller does not see is 404."""
import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from yikatong.core.refusals import invalid
from yikatong.regions.models import Region

from . import pull, selectors, services, transitions

router = Router(tags=["补贴申请"])


class ApplicationIn(Schema):
    policy: str  # policy code on the published catalogue of the year
    year: int
    village: str  # 12-digit village code
    name: str
    id_number: str
    account_no: str
    bank_name: str = ""
    phone: str = ""
    amount_fen: int | None = None  # None: the policy's standard


class ReviewIn(Schema):
    held_on: datetime.date
    attendees: int
    votes_for: int
    votes_against: int
    minutes: str = ""


class VillageReviewIn(Schema):
    review: ReviewIn | None = None  # the 民主评议, required where the policy says so


class ReasonIn(Schema):
    reason: str = ""


class ApplicationOut(Schema):
    id: int
    policy: str
    policy_name: str
    year: int
    village: str
    name: str
    id_masked: str
    amount_fen: int
    state: str
    state_label: str
    due_date: datetime.date | None
    refusal_reason: str
    batch_item: int | None
    transitions: list[str]


class PullOut(Schema):
    added: list[int]
    skipped: list[dict]


def _out(request, a) -> dict:
    return {"id": a.pk, "policy": a.policy_code, "policy_name": a.policy.name, "year": a.year, "village": a.village_id,
            "name": a.name, "id_masked": a.id_masked, "amount_fen": a.amount_fen, "state": a.state,
            "state_label": transitions.state_label(a.state), "due_date": a.due_date,
            "refusal_reason": a.refusal_reason, "batch_item": a.batch_item_id,
            "transitions": [t.action for t in transitions.actions_for(request.user, a)]}


@router.get("/", response=list[ApplicationOut], url_name="applications_list", summary="可见的补贴申请（可按状态筛选）")
def application_list(request, state: str = "", policy: str = ""):
    return [_out(request, a) for a in selectors.filtered(request.user, state=state, policy=policy)[:500]]


@router.post("/", response={201: ApplicationOut}, url_name="applications_submit", summary="村(社区)受理一份补贴申请")
def application_submit(request, payload: ApplicationIn):
    from yikatong.policies.selectors import current_version

    village = Region.objects.filter(code=payload.village.strip(), level=5).first()
    if village is None:
        raise invalid("APPLICATION_VILLAGE_INVALID")
    policy = current_version(payload.policy.strip(), region_code=village.code, year=payload.year)
    if policy is None:
        raise invalid("APPLICATION_POLICY_UNKNOWN", policy=payload.policy, year=payload.year)
    app = services.application_submit(actor=request.user, policy=policy, year=payload.year, village=village, name=payload.name,
                          id_number=payload.id_number, account_no=payload.account_no, bank_name=payload.bank_name,
                          phone=payload.phone, amount_fen=payload.amount_fen)
    return Status(201, _out(request, app))


@router.get("/{application_id}", response=ApplicationOut, url_name="applications_detail", summary="一份补贴申请")
def application_detail(request, application_id: int):
    return _out(request, services.visible(request.user, application_id))


@router.post("/{application_id}/village-review", response=ApplicationOut, url_name="applications_village_review",
             summary="村审核通过（须民主评议的项目同时登记评议情况）")
def application_village_review(request, application_id: int, payload: VillageReviewIn):
    review = payload.review.dict() if payload.review is not None else None
    return _out(request, services.application_village_review(actor=request.user, application_id=application_id, review=review))


@router.post("/{application_id}/transitions/{action}", response=ApplicationOut, url_name="applications_transition",
             summary="乡镇审核核实（township_verify）、部门审批（approve）或不予通过（refuse，须填写理由）")
def application_transition(request, application_id: int, action: str, payload: ReasonIn):
    return _out(request, services.application_perform(actor=request.user, application_id=application_id, action=action,
                                          reason=payload.reason))


@router.post("/pull/{batch_id}", response=PullOut, url_name="applications_pull",
             summary="把已审批、尚未纳入清册的申请纳入发放批次（不会重复纳入）")
def application_pull(request, batch_id: int):
    from yikatong.rosters.selectors import batches_for

    batch = get_object_or_404(batches_for(request.user), pk=batch_id)
    result = pull.pull_approved(batch, request.user)
    return {"added": result.added, "skipped": result.skipped}
