"""JSON API of fund quotas (read-only). Every operation needs a session or token."""
import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from . import selectors

router = Router(tags=["资金指标"])


class AllocationOut(Schema):
    id: int
    target: str
    amount_fen: int
    deadline: datetime.date | None
    state: str
    overdue: bool
    doc_number: str


class QuotaOut(Schema):
    id: int
    doc_number: str
    region_code: str
    holder: str | None
    policy_code: str
    policy_name: str
    year: int
    received_on: datetime.date
    received_fen: int
    allocated_fen: int
    committed_fen: int
    paid_fen: int
    balance_fen: int


class QuotaDetailOut(QuotaOut):
    allocations: list[AllocationOut]


def _quota(q) -> dict:
    return {
        "id": q.pk, "doc_number": q.doc_number, "region_code": q.region_id, "holder": q.holder.name if q.holder else None,
        "policy_code": q.policy_code, "policy_name": q.policy.name, "year": q.year, "received_on": q.received_on,
        "received_fen": q.received_fen, "allocated_fen": q.allocated_fen, "committed_fen": q.committed_fen,
        "paid_fen": q.paid_fen, "balance_fen": q.balance_fen,
    }


@router.get("/quotas", response=list[QuotaOut], summary="本辖区资金指标及余额")
def quotas(request, year: int | None = None, policy_code: str | None = None):
    qs = selectors.quotas_for(request.user)
    if year:
        qs = qs.filter(year=year)
    if policy_code:
        qs = qs.filter(policy_code=policy_code)
    return [_quota(q) for q in qs[:1000]]


@router.get("/quotas/{quota_id}", response=QuotaDetailOut, summary="指标详情及分配")
def quota(request, quota_id: int):
    q = get_object_or_404(selectors.quotas_for(request.user), pk=quota_id)
    allocations = [
        {"id": a.pk, "target": a.target_name, "amount_fen": a.amount_fen, "deadline": a.deadline, "state": a.state,
         "overdue": a.is_overdue, "doc_number": a.doc_number}
        for a in selectors.allocations_for(q)
    ]
    return {**_quota(q), "allocations": allocations}


# --- writes: register a quota, allocate, issue, cancel ----------------------------------------------
# Each calls the service the quota pages call: who manages the quota (the finance reviewer of its
# region; 403 with the service's code), the input (400), the allocation's state (409), one audit event.

class QuotaIn(Schema):
    doc_number: str
    title: str = ""
    issuing_level: str  # central / province / prefecture / county (funds.models.IssuingLevel)
    issuer_name: str = ""
    received_on: datetime.date
    policy: int  # the policy's id (policies API)
    direct_to_county: bool = False
    central_fen: int = 0
    province_fen: int = 0
    prefecture_fen: int = 0
    county_fen: int = 0


@router.post("/quotas", response={201: QuotaOut}, url_name="funds_quota_receive",
             summary="登记收到的资金指标文件（本级财政部门业务科室；金额按资金来源，单位分）")
def quota_receive(request, payload: QuotaIn):
    from yikatong.core.refusals import Forbidden, invalid
    from yikatong.policies.selectors import policies_for

    from . import services

    org = request.user.organization
    if org is None:
        raise Forbidden("QUOTA_RECEIVE_NOT_MANAGER")
    policy = policies_for(request.user).select_related("catalogue").filter(pk=payload.policy).first()
    if policy is None:
        raise invalid("QUOTA_POLICY_UNKNOWN")
    q = services.quota_receive(
        actor=request.user, region=org.region, doc_number=payload.doc_number, title=payload.title,
        issuing_level=payload.issuing_level, issuer_name=payload.issuer_name, received_on=payload.received_on,
        policy=policy, year=policy.catalogue.year, direct_to_county=payload.direct_to_county,
        amounts_fen={k: getattr(payload, k) for k in ("central_fen", "province_fen", "prefecture_fen", "county_fen")})
    return Status(201, _quota(q))


class AllocationIn(Schema):
    amount_fen: int
    target_region: str = ""  # a region code below the quota's region, or
    target_org: int | None = None  # a line department of the quota's level (organisation id)
    deadline: datetime.date | None = None  # used only where the local profile sets none


def _allocation_out(a) -> dict:
    return {"id": a.pk, "target": a.target_name, "amount_fen": a.amount_fen, "deadline": a.deadline, "state": a.state,
            "overdue": a.is_overdue, "doc_number": a.doc_number}


@router.post("/quotas/{quota_id}/allocations", response={201: AllocationOut}, url_name="funds_allocation_create",
             summary="分配指标到下级区划或本级主管部门（待下达）")
def allocation_create(request, quota_id: int, payload: AllocationIn):
    from yikatong.accounts.models import Organization
    from yikatong.core.refusals import invalid
    from yikatong.regions.selectors import region_or_refuse

    from . import services

    q = get_object_or_404(selectors.quotas_for(request.user), pk=quota_id)
    region = region_or_refuse(payload.target_region) if payload.target_region.strip() else None
    org = None
    if payload.target_org is not None:
        org = Organization.objects.filter(pk=payload.target_org).first()
        if org is None:
            raise invalid("ALLOCATION_ORG_NOT_LINE_DEPARTMENT")
    a = services.allocation_create(actor=request.user, quota=q, amount_fen=payload.amount_fen, target_region=region,
                                   target_org=org, deadline=payload.deadline)
    return Status(201, _allocation_out(a))


def _allocation(request, allocation_id: int):
    from .models import FundAllocation

    return get_object_or_404(FundAllocation.objects.filter(quota__in=selectors.quotas_for(request.user)),
                             pk=allocation_id)


class IssueIn(Schema):
    doc_number: str = ""
    issued_on: datetime.date | None = None


@router.post("/allocations/{allocation_id}/issue", response=QuotaOut, url_name="funds_allocation_issue",
             summary="下达分配（写下达文号），形成下级指标，返回下级指标；已下达或已撤销返回 409")
def allocation_issue(request, allocation_id: int, payload: IssueIn):
    from . import services

    a = _allocation(request, allocation_id)
    return _quota(services.allocation_issue(actor=request.user, allocation=a, doc_number=payload.doc_number,
                                            issued_on=payload.issued_on))


class CancelIn(Schema):
    reason: str = ""


@router.post("/allocations/{allocation_id}/cancel", response=AllocationOut, url_name="funds_allocation_cancel",
             summary="撤销待下达的分配（须写理由），金额退回指标余额；已下达返回 409")
def allocation_cancel(request, allocation_id: int, payload: CancelIn):
    from . import services

    a = _allocation(request, allocation_id)
    return _allocation_out(services.allocation_cancel(actor=request.user, allocation=a, reason=payload.reason))
