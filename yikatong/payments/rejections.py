"""Confirming a file-level rejection (X) with the bank before the batch is resent.

A rejection file carries no MAC (specs/bank-exchange.md), so anyone able to drop a file in the
inbox could forge one and make Yikatong resend a batch the bank may in fact be paying. A finance
user therefore confirms the rejection with the bank by telephone or letter (已与银行核实拒收)
before `orders.resend` is allowed.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.rosters import scope

from . import refusal_codes  # noqa: F401  (registers the codes below)
from .errors import PaymentError
from .models import OrderState, PaymentOrder

__all__ = ["confirm_rejection"]


@transaction.atomic
def confirm_rejection(*, actor, order_id: int, note: str) -> PaymentOrder:
    """Record that a finance user checked the rejection with the bank; `note` says how and with whom."""
    order = PaymentOrder.objects.select_for_update().select_related("batch").get(pk=order_id)
    scope.require_change(actor, order.batch, {Role.FINANCE_REVIEWER}, "核实银行拒收")  # through the batch
    note = (note or "").strip()
    if not note:
        raise PaymentError("REJECTION_NOTE_REQUIRED", batch_no=order.batch_no)
    if order.state != OrderState.REJECTED:
        raise PaymentError("REJECTION_NOT_TO_CONFIRM", batch_no=order.batch_no)
    if order.rejection_confirmed_at is not None:
        raise PaymentError("REJECTION_CONFIRMED", batch_no=order.batch_no,
                           at=f"{timezone.localtime(order.rejection_confirmed_at):%Y-%m-%d %H:%M}")
    now = timezone.now()
    PaymentOrder.objects.filter(pk=order.pk).update(
        rejection_confirmed_by=actor, rejection_confirmed_at=now, rejection_confirm_note=note[:200])
    record(actor=actor, action="payments.order.confirm_rejection", obj=order, before={"confirmed": False},
           after={"confirmed": True, "rejection_code": order.rejection_code, "note": note[:200]})
    order.refresh_from_db()
    return order
