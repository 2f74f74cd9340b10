"""年终清算 (seed 004 §四): at the end of the year finance, the department and the bank clear the funds
paid; what a quota did not spend is recovered to the treasury (收回财政统筹安排).

Per quota and year: recovered = received − passed down to lower levels − paid. Nothing may be in
flight (committed but not yet answered by the bank): the clearing is refused with the open orders
listed. A quota is cleared once; after that no order may draw on it (orders.order_create). Only where
the profile says so (LocalProfile.year_end_clearing): elsewhere the action is refused and not offered.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core.money import Money
from yikatong.core.profiles import current_profile
from yikatong.core.refusals import Forbidden
from yikatong.funds.models import FundCommitment, FundQuota
from yikatong.funds.selectors import quotas_for

from .errors import PaymentError
from .models import Clearing, OrderState, PaymentOrder

__all__ = ["quota_clear", "open_orders", "rows_for", "ClearingRow", "offered"]


def offered() -> bool:
    """Whether this deployment's procedure has a year-end clearing (seed 004 §四)."""
    return current_profile().year_end_clearing


def open_orders(quota: FundQuota) -> list[str]:
    """What keeps money committed on the quota: the orders (or batches) not yet answered by the bank."""
    refs = FundCommitment.objects.filter(quota=quota, outstanding_fen__gt=0).values_list("ref", flat=True)
    out = []
    for ref in sorted(refs):
        code = ref.removeprefix("batch:")
        orders = PaymentOrder.objects.filter(batch__code=code).exclude(state=OrderState.ANSWERED).exclude(
            state=OrderState.REJECTED, replaced_by__isnull=False).values_list("batch_no", "state")
        labels = [f"{no}（{OrderState(state).label}）" for no, state in orders]
        out.append(f"批次 {code}：" + ("、".join(labels) if labels else "已占用指标，尚未支付"))
    return out


@transaction.atomic
def quota_clear(*, actor, quota_id: int, note: str = "") -> Clearing:
    quota = FundQuota.objects.select_for_update().select_related("policy", "region").get(pk=quota_id)
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(Role.FINANCE_REVIEWER):
        raise Forbidden("CLEARING_ROLE_NOT_ALLOWED")
    if not region_in_scope(actor, quota.region_id):
        raise Forbidden("CLEARING_NOT_IN_REGION")
    if not offered():
        raise PaymentError("CLEARING_NOT_IN_PROFILE", profile=current_profile().name)
    what = {"doc_number": quota.doc_number, "policy": quota.policy.name, "year": quota.year}
    done = Clearing.objects.filter(quota=quota, year=quota.year).select_related("cleared_by").first()
    if done is not None:
        raise PaymentError("CLEARING_DONE_BEFORE", at=f"{timezone.localtime(done.cleared_at):%Y-%m-%d %H:%M}",
                           by=str(done.cleared_by), recovered=str(Money(done.recovered_fen)), **what)
    if quota.year > timezone.localdate().year:
        raise PaymentError("CLEARING_YEAR_NOT_STARTED", **what)
    if quota.committed_fen:
        listed = "；".join(open_orders(quota)) or "（未找到对应的支付申请，请核查指标占用）"
        raise PaymentError("CLEARING_ORDERS_IN_FLIGHT", committed=str(Money(quota.committed_fen)), listed=listed, **what)
    recovered = quota.received_fen - quota.allocated_fen - quota.paid_fen
    clearing = Clearing.objects.create(
        quota=quota, year=quota.year, received_fen=quota.received_fen, passed_down_fen=quota.allocated_fen,
        paid_fen=quota.paid_fen, recovered_fen=recovered, note=(note or "").strip()[:200], cleared_by=actor)
    record(actor=actor, action="payments.clearing.create", obj=clearing, after={
        "quota": quota.pk, "doc_number": quota.doc_number, "year": quota.year, "received_fen": quota.received_fen,
        "passed_down_fen": quota.allocated_fen, "paid_fen": quota.paid_fen, "recovered_fen": recovered})
    return clearing


@dataclass
class ClearingRow:
    quota: FundQuota
    clearing: Clearing | None

    @property
    def unspent_fen(self) -> int:
        q = self.quota
        return q.received_fen - q.allocated_fen - q.paid_fen

    @property
    def in_flight_fen(self) -> int:
        return self.quota.committed_fen


def rows_for(actor, year: int) -> list[ClearingRow]:
    """The quotas of a year in the actor's scope with their clearing state."""
    quotas = list(quotas_for(actor).filter(year=year).order_by("region__code", "policy_code", "pk"))
    done = {c.quota_id: c for c in Clearing.objects.filter(quota__in=quotas, year=year).select_related("cleared_by")}
    return [ClearingRow(q, done.get(q.pk)) for q in quotas]
