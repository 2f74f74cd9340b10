"""Payment-order pages: list and detail for finance, treasury and supervisors; one service per POST."""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yikatong.accounts.roles import Role
from yikatong.core.downloads import download_response
from yikatong.core.refusals import invalid, message_for
from yikatong.rosters import scope
from yikatong.rosters.models import Batch
from yikatong.web.actions import FAILURES, perform, report_refusal
from yikatong.web.permissions import Forbidden, requires_roles

from . import selectors, services
from .exchange.codes import REASON_CODES
from .models import OrderState
from .errors import PaymentError
from .exchange.connector import DeliveryError

# a bank file that does not parse (PaymentDataError is a ValueError) or cannot be delivered is reported too
ORDER_FAILURES = (*FAILURES, ValueError, DeliveryError)


@requires_roles(*selectors.READERS)
def order_list(request):
    orders = selectors.orders_for(request.user)
    ready = []
    if request.user.has_role(Role.FINANCE_REVIEWER):
        ready = scope.batches_for(request.user, roles={Role.FINANCE_REVIEWER}).filter(state="approved")
        ready = [b for b in ready if not b.payment_orders.exclude(state="rejected").exists()]
    return render(request, "payments/order_list.html", {"orders": orders[:300], "ready": ready})


def _order(request, pk):
    order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    return order


def order_detail(request, pk):
    order = _order(request, pk)
    items = order.items.select_related("batch_item")
    u = request.user
    actions = selectors.order_actions(u, order)  # the same list the API answers as `transitions`
    return render(request, "payments/order_detail.html", {
        "order": order, "items": items, "reasons": REASON_CODES,
        "can_release": "release" in actions, "can_send": "send" in actions, "can_download": "download" in actions,
        "can_resend": "resend" in actions, "can_confirm_rejection": "confirm_rejection" in actions,
        "agreement_document": selectors.agreement_documents_for(u).filter(agreement_id=order.agreement_id)
        .only("pk", "filename").first(),
        **fund_return_context(u, order),
    })


def fund_return_context(user, order) -> dict:
    """The failed funds of an answered order (payments.returns): recorded, or owed with the form."""
    from yikatong.core.money import Money

    from . import returns

    if order.state != OrderState.ANSWERED or not order.failed_count:
        return {}
    fr = getattr(order, "fund_return", None)
    owed = 0 if fr else returns.expected(order)[1]
    return {"fund_return": fr, "owed": Money(owed) if owed else None,
            "return_due": returns.return_due(order), "can_record_return": user.has_role(Role.FINANCE_REVIEWER, Role.BANK)}


def _run(request, call, success, then):
    return perform(request, call, success, then, failures=ORDER_FAILURES)


@require_POST
def order_create(request):
    batch_id = request.POST.get("batch_id", "")
    if not batch_id.isdigit():
        report_refusal(request, invalid("ORDER_BATCH_REQUIRED"))
        return redirect("payments_orders")
    return _run(request, lambda: services.order_create(actor=request.user, batch_id=int(batch_id)), "已生成支付申请",
                lambda o: "payments_orders" if o is None else f"/payments/{o.pk}/")


@require_POST
def order_release(request, pk):
    order = _order(request, pk)
    return _run(request, lambda: services.order_release(actor=request.user, order_id=order.pk), "国库支付已办理",
                lambda _: f"/payments/{order.pk}/")


@require_POST
def order_send(request, pk):
    order = _order(request, pk)
    return _run(request, lambda: services.order_send(actor=request.user, order_id=order.pk), "代发文件已发送银行",
                lambda _: f"/payments/{order.pk}/")


@require_POST
def order_resend(request, pk):
    order = _order(request, pk)
    return _run(request, lambda: services.order_resend(actor=request.user, order_id=order.pk),
                "已按新批次号重新生成支付申请", lambda o: f"/payments/{(o or order).pk}/")


def order_file(request, pk):
    """The payment file, for the treasury and the agent bank it went to (payments.orders.payment_file_download,
    audited); 404 for an order the user sees in neither role."""
    visible = (selectors.orders_for(request.user) | selectors.bank_orders_for(request.user)).distinct()
    order = get_object_or_404(visible, pk=pk)
    try:
        f = services.payment_file_download(actor=request.user, order_id=order.pk)
    except PaymentError as exc:  # not written yet: said on the page the user came from
        report_refusal(request, exc)
        if request.user.has_role(Role.BANK):
            return redirect("payments_bank_orders")
        return redirect("payments_order", order.pk)
    resp = HttpResponse(f.data(), content_type="text/plain; charset=gb18030")
    resp["Content-Disposition"] = f'attachment; filename="{f.filename}"'
    return resp


def agreement_document(request, pk):
    """The agreement's signed text, decrypted for its readers (selectors); 404 for anyone else."""
    doc = get_object_or_404(selectors.agreement_documents_for(request.user), agreement_id=pk)
    return download_response(doc.data(), filename=doc.filename, content_type=doc.content_type)


@require_POST
@requires_roles(Role.TREASURY, Role.FINANCE_REVIEWER)
def collect(request):
    report = services.bank_inbox_collect(actor=request.user)
    for name, outcome in report:
        if isinstance(outcome, Exception):
            report_refusal(request, outcome)
        else:
            messages.success(request, f"{name}：{'已导入' if outcome.created else '此前已导入，未作改动'}")
    if not report:
        messages.info(request, "收件箱中没有新的银行文件")
    return redirect("payments_orders")


@requires_roles(*selectors.READERS)
def reconciliation(request):
    from django.utils import timezone

    from .reconcile import statement

    today = timezone.localdate()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else today.year
    month_text = request.GET.get("month", str(today.month))
    month = int(month_text) if month_text.isdigit() and 1 <= int(month_text) <= 12 else None
    if not 2000 <= year <= 9999:
        year = today.year
    year_end = None
    if month is None:  # the year-end statement also shows the clearing of the year's quotas (清算)
        from .clearing import rows_for

        rows = rows_for(request.user, year)
        year_end = {"quotas": len(rows), "cleared": sum(1 for r in rows if r.clearing),
                    "recovered_fen": sum(r.clearing.recovered_fen for r in rows if r.clearing),
                    "unspent_fen": sum(r.unspent_fen for r in rows if not r.clearing),
                    "in_flight_fen": sum(r.in_flight_fen for r in rows)}
    return render(request, "payments/reconciliation.html", {
        "st": statement(selectors.orders_for(request.user), year=year, month=month), "year": year, "month": month,
        "year_end": year_end})


@requires_roles(*selectors.READERS)
def sms_outbox(request):
    from .models import SmsNotice

    notices = scope.scoped(SmsNotice.objects.select_related("line"), request.user, "line__order__batch__",
                           roles=selectors.READERS)
    return render(request, "payments/sms_outbox.html", {"notices": notices[:300]})


FAILURE_READERS = selectors.FAILURE_READERS


def _batch_for_failures(request, batch_id):
    """The batch when the user sees it in a role that reads failures (rosters.scope), else 403."""
    batch = get_object_or_404(Batch.objects.select_related("policy", "region", "department"), pk=batch_id)
    answer = selectors.failures_refusal(request.user, batch)
    if answer is not None:  # its code, not its message: that names the batch, which another county may not see
        raise Forbidden(answer.code, message=message_for("FORBIDDEN")) from answer
    return batch


def batch_failures(request, batch_id):
    """Failed items of a batch with reason and usual fix (spec table); the station corrects and reissues."""
    batch = _batch_for_failures(request, batch_id)
    lines = selectors.failed_items(batch).select_related("order", "reissue__new_item__batch")
    return render(request, "payments/failures.html", {
        "batch": batch, "lines": lines, "reasons": REASON_CODES,
        "can_reissue": batch.state == "partly_failed"
        and scope.may_change_batch(request.user, batch, {Role.TOWNSHIP_OPERATOR}),
        "can_write_off": scope.may_change_batch(request.user, batch, {Role.FINANCE_REVIEWER, Role.DEPT_HEAD}),
    })


@require_POST
def batch_reissue(request, batch_id):
    batch = _batch_for_failures(request, batch_id)
    corrections = {}
    for line in selectors.failed_items(batch):
        change = {k: request.POST.get(f"{k}_{line.pk}", "").strip() for k in ("account", "account_holder")}
        change = {k: v for k, v in change.items() if v}
        if change:
            corrections[line.item_ref] = change
    return _run(request, lambda: services.reissue_create(actor=request.user, batch_id=batch.pk,
                                                         corrections=corrections),
                "已生成补发批次，请提交财政所复核比对",
                lambda b: reverse("payments_failures", args=[batch.pk]) if b is None else reverse("batch_detail", args=[b.pk]))
