"""Pages after the bank's answer: confirming a rejection, writing off failed lines, the post-payment
notice, year-end clearing, and the agent bank's own list of batches. One service per POST."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikatong.accounts.roles import Role
from yikatong.core.xlsx import write_xlsx
from yikatong.funds.models import FundQuota
from yikatong.core import uploads
from yikatong.web.actions import FAILURES, perform, report_refusal
from yikatong.web.permissions import requires_roles

from . import clearing, deadlines, notice, selectors, services
from .errors import PaymentError
from .models import PaymentOrderItem
from .views import _batch_for_failures, _order, fund_return_context


def _xlsx(data: bytes, name: str) -> HttpResponse:
    from yikatong.core.downloads import export_response

    return export_response(data, filename=name)


@require_POST
def order_confirm_rejection(request, pk):
    order = _order(request, pk)
    return perform(request, lambda: services.rejection_confirm(actor=request.user, order_id=order.pk,
                                                               note=request.POST.get("note", "")),
                   "已记录：已与银行核实拒收，可以重新生成", reverse("payments_order", args=[order.pk]))


@require_POST
def item_write_off(request, pk):
    line = get_object_or_404(PaymentOrderItem.objects.select_related("order__batch"), pk=pk)
    batch = _batch_for_failures(request, line.order.batch_id)
    return perform(request, lambda: services.order_item_write_off(actor=request.user, order_item_id=line.pk,
                                                       reason=request.POST.get("reason", "")),
                   f"明细 {line.item_ref} 已核销", reverse("payments_failures", args=[batch.pk]))


def batch_notice(request, batch_id):
    """发放结果公示: masked, for publication; ?format=xlsx downloads it."""
    batch = _batch_for_failures(request, batch_id)
    data = notice.rows(batch)
    if request.GET.get("format") == "xlsx":
        return _xlsx(notice.notice_xlsx(batch, data), f"发放结果公示_{batch.code}.xlsx")
    return render(request, "payments/notice.html", {"batch": batch, "rows": data, "headers": notice.HEADERS})


def _year(request) -> int:
    text = request.GET.get("year", "")
    year = int(text) if text.isdigit() else timezone.localdate().year
    return year if 2000 <= year <= 9999 else timezone.localdate().year


CLEARING_HEADERS = ["区划", "指标文号", "补贴项目", "指标金额（分）", "已分配下级（分）", "已支付（分）", "在途（分）",
                    "结余（分）", "清算状态", "收回（分）", "清算人", "清算时间"]


def _clearing_cells(row):
    q, c = row.quota, row.clearing
    return [q.region.name, q.doc_number, q.policy.name, q.received_fen, q.allocated_fen, q.paid_fen, row.in_flight_fen,
            row.unspent_fen, "已清算" if c else "未清算", c.recovered_fen if c else "", str(c.cleared_by) if c else "",
            f"{timezone.localtime(c.cleared_at):%Y-%m-%d %H:%M}" if c else ""]


@requires_roles(*selectors.READERS)
def clearing_list(request):
    year = _year(request)
    rows = clearing.rows_for(request.user, year)
    if request.GET.get("format") == "xlsx":
        total = sum(r.clearing.recovered_fen for r in rows if r.clearing)
        data = write_xlsx(CLEARING_HEADERS, (_clearing_cells(r) for r in rows), title=f"{year} 年度资金清算表",
                          sheet_name="清算表", footer=[f"收回合计（分）：{total}"], text_columns=(1,))
        return _xlsx(data, f"资金清算表_{year}.xlsx")
    return render(request, "payments/clearing.html", {
        "year": year, "rows": rows, "can_clear": clearing.offered() and request.user.has_role(Role.FINANCE_REVIEWER)})


@require_POST
def clearing_clear(request, quota_id):
    quota = get_object_or_404(FundQuota, pk=quota_id)
    return perform(request, lambda: services.quota_clear(actor=request.user, quota_id=quota.pk,
                                                         note=request.POST.get("note", "")),
                   f"指标 {quota.doc_number} 已清算", f"{reverse('payments_clearing')}?year={quota.year}")


@requires_roles(Role.BANK)
def bank_orders(request):
    """The agent bank's list of the payment files sent to it, with the agreed deadlines and each file's
    status; each file downloads (audited) and the bank uploads its result or rejection file here."""
    today = timezone.localdate()
    rows = []
    for o in selectors.bank_orders_for(request.user).order_by("-sent_at", "-pk")[:300]:
        status = deadlines.bank_status(o, today)
        rows.append((o, deadlines.pay_due(o), deadlines.answer_due(o), status, deadlines.BANK_STATUS[status],
                     fund_return_context(request.user, o)))
    return render(request, "payments/bank_orders.html", {"orders": rows})


@require_POST
@requires_roles(Role.BANK)
def bank_result_upload(request):
    """The bank's result (R) or rejection (X) file, ingested as from the inbox (payments.ingest)."""
    upload = request.FILES.get("file")
    if upload is None:
        report_refusal(request, PaymentError("INGEST_FILE_REQUIRED"))
        return redirect("payments_bank_orders")
    return perform(request, lambda: services.bank_answer_ingest(actor=request.user, filename=upload.name,
                                                                 data=uploads.read(request, upload, "bankfile")),
                   lambda r: f"{upload.name}：{'已导入' if r.created else '此前已导入，未作改动'}",
                   "payments_bank_orders", failures=(*FAILURES, ValueError))
