"""Post-payment notice data (发放结果公示, issue 7 item 9): per batch, each line with the name, the masked
ID number, only the last four digits of the account, the amount, the paid date and the outcome.
Never a full ID or account number: the list is meant for publication."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from yikatong.core.money import Money
from yikatong.core.xlsx import write_xlsx

from .models import ItemStatus, OrderState, PaymentOrder, PaymentOrderItem

HEADERS = ["序号", "姓名", "身份证号码", "账号尾号", "金额（元）", "发放日期", "发放状态"]


@dataclass(frozen=True)
class NoticeRow:
    seq: int
    name: str
    id_masked: str
    account_last4: str
    amount: str
    paid_on: str
    status: str


def _last4(masked: str) -> str:
    digits = "".join(ch for ch in masked if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def rows(batch) -> list[NoticeRow]:
    """Lines of the batch's answered order; a failed line shows how it ended (reissued and paid, written off)."""
    lines = list(PaymentOrderItem.objects.filter(order__batch=batch, order__state=OrderState.ANSWERED)
                 .select_related("batch_item").order_by("order_id", "seq"))
    paid_later = {}
    failed_origins = [ln.origin_id for ln in lines if ln.status == ItemStatus.FAILED]
    if failed_origins:
        paid_later = dict(PaymentOrderItem.objects.filter(origin_id__in=failed_origins, status=ItemStatus.PAID)
                          .values_list("origin_id", "paid_at"))
    out = []
    for n, ln in enumerate(lines, 1):
        item = ln.batch_item
        paid_at = ln.paid_at
        if ln.status == ItemStatus.PAID:
            status = "已发放"
        elif ln.origin_id in paid_later:
            status, paid_at = "补发已发放", paid_later[ln.origin_id]
        elif ln.written_off_reason:
            status = "已核销"
        elif ln.status == ItemStatus.FAILED:
            status = "发放失败，待补发"
        else:
            status = "待银行回盘"
        out.append(NoticeRow(n, item.name, item.id_masked, _last4(item.account_masked), Money(ln.amount_fen).yuan_str(),
                             f"{timezone.localtime(paid_at):%Y-%m-%d}" if paid_at else "", status))
    return out


def result_lines(batch) -> list[dict] | None:
    """The batch's result lines for publication (rosters.hooks.result_lines): `rows` as dicts with the amount in
    fen and each line's village, without the account tail; None until the bank answered an order of the batch."""
    if not PaymentOrder.objects.filter(batch=batch, state=OrderState.ANSWERED).exists():
        return None
    villages = list(PaymentOrderItem.objects.filter(order__batch=batch, order__state=OrderState.ANSWERED)
                    .order_by("order_id", "seq").values_list("batch_item__village__name", flat=True))
    return [{"seq": r.seq, "name": r.name, "id_masked": r.id_masked, "village": v or "",
             "amount_fen": Money.parse(r.amount).fen, "paid_on": r.paid_on, "status": r.status}
            for r, v in zip(rows(batch), villages)]


def notice_xlsx(batch, data: list[NoticeRow]) -> bytes:
    title = f"{batch.policy.name} {batch.period} {batch.region.name} 发放结果公示"
    return write_xlsx(HEADERS, ([r.seq, r.name, r.id_masked, r.account_last4, r.amount, r.paid_on, r.status]
                                for r in data), title=title, sheet_name="发放结果公示", text_columns=(2, 3, 4))
