"""Bank deadlines of a sent order (issue 7 item 8), from its agreement (which defaults from the local
profile: e.g. seed 000 pays within 3 working days and reports within 2 days; seed 003 the next day).

    pay_due     the last day the bank may pay: the business day + pay_within_working_days (working days,
                core.calendar, so weekends and holidays do not count)
    answer_due  the last day its result file may arrive: pay_due + report_within_days (calendar days)

An order still waiting for its answer after answer_due is overdue: flagged on the finance and the
agent bank's to-do lists.
"""
from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from yikatong.core import calendar

from .models import OrderState, PaymentOrder


def sent_day(order: PaymentOrder) -> datetime.date | None:
    if order.sent_at is not None:
        return timezone.localdate(order.sent_at)
    return order.business_date


def pay_due(order: PaymentOrder) -> datetime.date | None:
    day = sent_day(order)
    n = order.agreement.pay_within_working_days
    if day is None or n is None:
        return None
    return calendar.add_working_days(day, n) if n else day


def answer_due(order: PaymentOrder) -> datetime.date | None:
    a = order.agreement
    if a.pay_within_working_days is None and a.report_within_days is None:
        return None
    day = pay_due(order) or sent_day(order)
    if day is None:
        return None
    return day + datetime.timedelta(days=a.report_within_days or 0)


def is_overdue(order: PaymentOrder, today: datetime.date | None = None) -> bool:
    due = answer_due(order)
    return order.state == OrderState.SENT and due is not None and (today or timezone.localdate()) > due


def waiting_for_bank(user) -> QuerySet[PaymentOrder]:
    """Orders sent to the agent bank the user works for and not yet answered (the bank's own list)."""
    from yikatong.accounts.roles import Role

    if user is None or not getattr(user, "is_authenticated", False) or not user.has_role(Role.BANK) \
            or user.organization_id is None:
        return PaymentOrder.objects.none()
    return (PaymentOrder.objects.filter(agreement__bank__organization_id=user.organization_id, state=OrderState.SENT)
            .select_related("agreement__bank", "batch__policy").order_by("sent_at", "pk"))


#: the status of a payment file on the agent bank's list: code -> label
BANK_STATUS = {"waiting": "待回盘", "overdue": "已逾期，待回盘", "answered": "已回盘", "rejected": "整批拒收"}


def bank_status(order: PaymentOrder, today: datetime.date | None = None) -> str:
    """waiting / overdue / answered / rejected (BANK_STATUS) of an order whose file went to the bank."""
    if order.state == OrderState.ANSWERED:
        return "answered"
    if order.state == OrderState.REJECTED:
        return "rejected"
    return "overdue" if is_overdue(order, today) else "waiting"
