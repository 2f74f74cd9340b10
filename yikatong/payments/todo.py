"""To-do entries of payments: orders to release, send, confirm or resend; results due from the bank
(overdue flagged, with the due dates) on the finance side and on the agent bank's own list."""
from django.urls import reverse
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.web.todo import TodoItem, register

from . import deadlines, selectors
from .models import OrderState

_WAITING = {
    OrderState.CREATED: (Role.TREASURY, "待国库支付"),
    OrderState.RELEASED: (Role.TREASURY, "待发送代发文件"),
    OrderState.REJECTED: (Role.FINANCE_REVIEWER, "银行整批拒收，待与银行核实后重新生成"),
}


def _due_text(order) -> str:
    pay, answer = deadlines.pay_due(order), deadlines.answer_due(order)
    parts = ([f"应于 {pay:%Y-%m-%d} 前发放"] if pay else []) + ([f"{answer:%Y-%m-%d} 前回盘"] if answer else [])
    return f"（{'，'.join(parts)}）" if parts else ""


@register
def orders_waiting(user):
    today = timezone.localdate()
    orders = selectors.orders_for(user).exclude(state=OrderState.ANSWERED).select_related("agreement")
    for order in orders[:100]:
        if order.state == OrderState.REJECTED and hasattr(order, "replaced_by"):
            continue
        url = reverse("payments_order", args=[order.pk])
        what = f"{order.batch.policy.name} {order.batch.period}（批次号 {order.batch_no}）"
        if order.state == OrderState.SENT:
            due = deadlines.answer_due(order)
            overdue = deadlines.is_overdue(order, today)
            yield TodoItem(title=f"{'银行逾期未回盘' if overdue else '待银行回盘'}：{what}{_due_text(order)}", url=url,
                           due=due, overdue=overdue, category="资金支付")
        elif user.has_role(_WAITING[order.state][0]):
            yield TodoItem(title=f"{_WAITING[order.state][1]}：{what}", url=url, category="资金支付")


@register
def bank_orders(user):
    """The agent bank's list: batches it received and has not answered, with the agreed deadlines."""
    today = timezone.localdate()
    for order in deadlines.waiting_for_bank(user)[:100]:
        overdue = deadlines.is_overdue(order, today)
        title = f"{'已逾期' if overdue else '待发放并回盘'}：批次号 {order.batch_no} {order.batch.policy.name}{_due_text(order)}"
        yield TodoItem(title=title, url=reverse("payments_bank_orders"), due=deadlines.answer_due(order),
                       overdue=overdue, category="代发")


@register
def funds_to_return(user):
    """Failed funds the bank owes back through the original channel (payments.returns), with the profile's
    deadline: on the bank's own list and on finance's (finance may record the return on its behalf)."""
    from . import returns

    today = timezone.localdate()
    if user.has_role(Role.BANK):
        orders, url_name, category = selectors.bank_orders_for(user), "payments_bank_orders", "代发"
    elif user.has_role(Role.FINANCE_REVIEWER):
        orders, url_name, category = selectors.orders_for(user), None, "资金支付"
    else:
        return
    for order in returns.orders_owing(orders).select_related("batch__policy")[:100]:
        due = returns.return_due(order)
        if due is None:  # the profile sets no time limit: the return is still recorded, not chased
            continue
        overdue = returns.is_overdue(order, today)
        url = reverse(url_name) if url_name else reverse("payments_order", args=[order.pk])
        when = f"（应于 {due:%Y-%m-%d} 前退回）"
        yield TodoItem(title=f"{'失败资金逾期未退回' if overdue else '待登记失败资金退回'}：批次号 {order.batch_no} "
                             f"{order.batch.policy.name}{when}", url=url, due=due, overdue=overdue, category=category)
