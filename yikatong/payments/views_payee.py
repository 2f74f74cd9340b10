"""更正收款信息: the batch page's form for correcting payee data of an approved or paying batch none of
whose files is at the bank (payments.rejections.payee_items_correct). It lives in payments, which may use
the roster views' helpers; rosters never imports payments."""
from django.views.decorators.http import require_POST

from yikatong.rosters.views import _batch, _item_by_seq, _on_batch_page

from . import services


@require_POST
def payee_fix(request, batch_id: int):
    """更正收款信息 of an approved or paying batch none of whose files is at the bank (payments service)."""
    batch = _batch(request, batch_id)
    keys = {"f_account": "account", "f_holder": "account_holder", "f_name": "name", "f_bank": "bank_name"}
    change = {k: request.POST.get(f, "").strip() for f, k in keys.items() if request.POST.get(f, "").strip()}

    def call():
        item = _item_by_seq(batch, request)
        services.payee_items_correct(actor=request.user, batch_id=batch.pk, corrections={item.item_ref: change},
                                     reason=request.POST.get("reason", ""))
        return item

    return _on_batch_page(request, batch, call,
                          lambda item: f"已更正第 {item.seq} 条的收款信息，请财政业务科室重新生成支付申请",
                          prefix="未更正：")
