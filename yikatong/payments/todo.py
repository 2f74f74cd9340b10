"""To-do entries of payments: orders to release, send or resend, results overdue from the bank."""
from django.urls import reverse
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.web.todo import TodoItem, register

from . import selectors
from .models import OrderState

_WAITING = {
    OrderState.CREATED: (Role.TREASURY, "待国库支付"),
    OrderState.RELEASED: (Role.TREASURY, "待发送代发文件"),
    OrderState.REJECTED: (Role.FINANCE_REVIEWER, "银行整批拒收，待重新生成"),
}


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
            due = selectors.answer_due(order)
            yield TodoItem(title=f"待银行回盘：{what}", url=url, due=due, overdue=bool(due and due < today),
                           category="资金支付")
        elif user.has_role(_WAITING[order.state][0]):
            yield TodoItem(title=f"{_WAITING[order.state][1]}：{what}", url=url, category="资金支付")
