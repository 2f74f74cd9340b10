"""JSON API of fund quotas (read-only). Every operation needs a session or token."""
import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

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
