"""失败资金原渠道退回: the agent bank returns the money of an answered order's failed lines to the payer
account and records it with its receipt (回单) — or finance records it on the bank's behalf.

    expected    the failed lines of the order not yet carried into a reissue (补发), in fen
    return_due  the result file's arrival + the profile's failed_funds_return_working_days (working
                days, core.calendar; seed 001: the next working day)

A return must equal `expected` (FUND_RETURN_AMOUNT_MISMATCH names both amounts); one per order.
An order with money to return and none recorded after return_due is overdue: flagged on finance's
and the bank's to-do lists (payments.todo) and listed as a mismatch by the reconciliation.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core import calendar, downloads, sealed
from yikatong.core.money import Money
from yikatong.core.profiles import get_profile
from yikatong.core.refusals import Forbidden

from yikatong.funds.services import batch_ref, record_returned_for_ref

from .errors import PaymentError
from .exchange.storage import RECEIPT_PURPOSE
from .models import FundReturn, ItemStatus, OrderState, PaymentOrder

__all__ = ["expected", "return_due", "is_overdue", "fund_return_record", "orders_owing"]


def _unreissued_failed(order: PaymentOrder):
    return order.items.filter(status=ItemStatus.FAILED, reissue__isnull=True)


def expected(order: PaymentOrder) -> tuple[int, int]:
    """(count, fen) of the order's failed lines not yet reissued: what the bank returns."""
    agg = _unreissued_failed(order).aggregate(s=Sum("amount_fen"))
    return _unreissued_failed(order).count(), agg["s"] or 0


def arrived_on(order: PaymentOrder) -> datetime.date | None:
    return timezone.localdate(order.answered_at) if order.answered_at else None


def return_due(order: PaymentOrder) -> datetime.date | None:
    """The last day the failed funds may come back (None when the profile sets no limit or nothing failed)."""
    n = get_profile(order.batch.profile_code).failed_funds_return_working_days
    day = arrived_on(order)
    if n is None or day is None or order.state != OrderState.ANSWERED or not order.failed_count:
        return None
    return calendar.add_working_days(day, n)


def is_overdue(order: PaymentOrder, today: datetime.date | None = None) -> bool:
    due = return_due(order)
    return due is not None and (today or timezone.localdate()) > due and not hasattr(order, "fund_return")


def orders_owing(orders: QuerySet[PaymentOrder]) -> QuerySet[PaymentOrder]:
    """The answered orders of `orders` with failed lines and no return recorded."""
    return orders.filter(state=OrderState.ANSWERED, failed_count__gt=0, fund_return__isnull=True)


def _order_for(actor, order_id: int) -> tuple[PaymentOrder, bool]:
    """The order as the bank it was sent to (on_behalf False) or as finance of its region (True);
    anyone else: PaymentOrder.DoesNotExist (404, never named) or Forbidden by role."""
    from .selectors import bank_orders_for, orders_for

    if actor is None or not getattr(actor, "is_authenticated", False):
        raise Forbidden("FUND_RETURN_ROLE_NOT_ALLOWED")
    order = bank_orders_for(actor).select_for_update(of=("self",)).filter(pk=order_id).first()
    if order is not None:
        return order, False
    order = orders_for(actor).select_for_update(of=("self",)).get(pk=order_id)
    if not actor.has_role(Role.FINANCE_REVIEWER):
        raise Forbidden("FUND_RETURN_ROLE_NOT_ALLOWED")
    return order, True


@transaction.atomic
def fund_return_record(*, actor, order_id: int, amount_fen: int, returned_on: datetime.date, receipt_name: str,
                       receipt_data: bytes | None, note: str = "") -> FundReturn:
    order, on_behalf = _order_for(actor, order_id)
    if order.state != OrderState.ANSWERED:
        raise PaymentError("FUND_RETURN_NOT_ANSWERED", batch_no=order.batch_no)
    if FundReturn.objects.filter(order=order).exists():
        raise PaymentError("FUND_RETURN_RECORDED", batch_no=order.batch_no)
    count, owed = expected(order)
    if not owed:
        raise PaymentError("FUND_RETURN_NOTHING_OWED", batch_no=order.batch_no)
    if type(amount_fen) is not int or amount_fen != owed:
        raise PaymentError("FUND_RETURN_AMOUNT_MISMATCH", batch_no=order.batch_no, count=count,
                           owed=str(Money(owed)), owed_fen=owed, amount=str(Money(amount_fen))
                           if type(amount_fen) is int else str(amount_fen), amount_fen=amount_fen)
    arrived = arrived_on(order)
    if returned_on > timezone.localdate() or (arrived is not None and returned_on < arrived):
        raise PaymentError("FUND_RETURN_DATE_INVALID", day=f"{returned_on:%Y-%m-%d}",
                           arrived=f"{arrived:%Y-%m-%d}" if arrived else "")
    if not receipt_data:
        raise PaymentError("FUND_RETURN_RECEIPT_REQUIRED")
    ctype = downloads.sniff(receipt_data)
    if ctype is None:
        raise PaymentError("FUND_RETURN_RECEIPT_TYPE")
    box = sealed.seal(receipt_data, purpose=RECEIPT_PURPOSE)
    ret = FundReturn.objects.create(
        order=order, amount_fen=amount_fen, returned_on=returned_on, line_count=count, on_behalf=on_behalf,
        receipt_name=downloads.safe_filename(receipt_name or "", content_type=ctype, default="退回回单"),
        receipt_type=ctype, receipt_size=box.size, receipt_sha256=box.sha256, receipt_enc=box.blob,
        note=(note or "").strip()[:200], recorded_by=actor)
    record_returned_for_ref(actor=actor, ref=batch_ref(order.batch), amount_fen=amount_fen)  # the quota ledger
    due = return_due(order)
    record(actor=actor, action="payments.fund_return.record", obj=order, after={
        "batch_no": order.batch_no, "amount_fen": amount_fen, "line_count": count, "returned_on": str(returned_on),
        "on_behalf": on_behalf, "receipt_sha256": box.sha256, "due": str(due) if due else None,
        "late": bool(due and returned_on > due)})
    return ret
