"""对账: a statement per bank and policy for a month or a year — sent, paid, failed-returned, pending —
with the bank's own result files read again (MAC checked) and every mismatch listed."""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from .exchange.errors import ResultFileError
from .exchange.resultfile import parse_result_file
from .models import ItemStatus, OrderState, PaymentOrder


@dataclass
class Row:
    bank: str
    policy: str
    orders: int = 0
    sent_fen: int = 0
    paid_fen: int = 0
    returned_fen: int = 0
    pending_fen: int = 0
    rejected_fen: int = 0
    refunded_fen: int = 0  # failed funds the bank returned through the original channel (payments.returns)

    @property
    def balanced(self) -> bool:
        return self.sent_fen == self.paid_fen + self.returned_fen + self.pending_fen


@dataclass
class Statement:
    start: datetime.date
    end: datetime.date
    rows: list[Row] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return not self.mismatches and all(r.balanced for r in self.rows)


def period_bounds(year: int, month: int | None) -> tuple[datetime.date, datetime.date]:
    if month is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return datetime.date(year, month, 1), nxt - datetime.timedelta(days=1)


def statement(orders, *, year: int, month: int | None = None) -> Statement:
    """`orders`: the actor's scoped orders (selectors.orders_for). Orders count in the period they were sent."""
    start, end = period_bounds(year, month)
    result = Statement(start, end)
    rows: dict[tuple[str, str], Row] = {}
    sent = orders.filter(business_date__gte=start, business_date__lte=end).select_related(
        "batch__policy", "agreement__bank", "answer_file", "fund_return").order_by("pk")
    for order in sent:
        key = (order.agreement.bank.name, f"{order.batch.policy.code} {order.batch.policy.name}")
        row = rows.setdefault(key, Row(*key))
        if order.state == OrderState.REJECTED:
            row.rejected_fen += order.total_fen
            continue
        row.orders += 1
        row.sent_fen += order.total_fen
        if order.state == OrderState.ANSWERED:
            row.paid_fen += order.paid_fen
            row.returned_fen += order.failed_fen
            _check_against_bank(order, result.mismatches)
            _check_returned(order, row, result.mismatches)
        else:
            row.pending_fen += order.total_fen
    result.rows = sorted(rows.values(), key=lambda r: (r.bank, r.policy))
    return result


def _check_returned(order: PaymentOrder, row: Row, mismatches: list[str]) -> None:
    """The failed funds came back with a receipt, within the profile's working days (payments.returns)."""
    from yikatong.core.money import Money

    from . import returns

    ret = getattr(order, "fund_return", None)
    if ret is not None:
        row.refunded_fen += ret.amount_fen
    elif returns.is_overdue(order):
        _, owed = returns.expected(order)
        mismatches.append(f"{order.batch_no}：失败资金 {Money(owed)} 应于 {returns.return_due(order):%Y-%m-%d} 前"
                          f"原渠道退回，尚未登记退回回单")


def _check_against_bank(order: PaymentOrder, mismatches: list[str]) -> None:
    sums = defaultdict(int)
    for status, total in order.items.values_list("status").annotate(s=Sum("amount_fen")):
        sums[status] = total
    if (sums[ItemStatus.PAID], sums[ItemStatus.FAILED]) != (order.paid_fen, order.failed_fen):
        mismatches.append(f"{order.batch_no}：明细合计与支付申请记录不符")
    try:
        parsed = parse_result_file(order.answer_file.data(), order.agreement.mac_key(),
                                   filename=order.answer_file.filename, alg=order.agreement.mac_alg)
    except ResultFileError as exc:
        mismatches.append(f"{order.batch_no}：银行回盘文件复核失败（{exc}）")
        return
    if (parsed.ok_fen, parsed.fail_fen) != (order.paid_fen, order.failed_fen):
        mismatches.append(f"{order.batch_no}：银行回盘成功 {parsed.ok_fen} 分、失败 {parsed.fail_fen} 分，"
                          f"系统记录成功 {order.paid_fen} 分、失败 {order.failed_fen} 分")
