"""To-do entries: batches waiting on the user, with working-day deadlines."""
from django.urls import reverse
from django.utils import timezone

from yikatong.web.todo import TodoItem, register

from . import flows, selectors


@register
def batches_waiting(user):
    today = timezone.localdate()
    for b in selectors.waiting_on(user).order_by("due_date")[:50]:
        yield TodoItem(
            title=f"{flows.state_label(b.state)}：{b.policy.name} {b.period} {b.region.name}（{b.item_count}人）",
            url=reverse("batch_detail", args=[b.pk]), due=b.due_date,
            overdue=bool(b.due_date and b.due_date < today), category="发放批次",
        )


@register
def batches_to_create(user):
    """Township operators: policies of their department due this period with no batch yet."""
    from yikatong.accounts.roles import Role

    if not user.has_role(Role.TOWNSHIP_OPERATOR) or user.organization is None or user.region is None:
        return
    region = user.region
    if region.level != 4 or user.organization.parent_id is None:
        return
    from yikatong.policies.selectors import payable_policies

    from .models import Batch

    today = timezone.localdate()
    periods = {"monthly": f"{today:%Y-%m}", "quarterly": f"{today.year}Q{(today.month - 1) // 3 + 1}", "yearly": str(today.year)}
    dept = user.organization.parent
    for policy in payable_policies(region.code, today.year).filter(disburser="township", line=dept.line):
        period = periods.get(policy.frequency)
        if period is None or Batch.objects.filter(policy__code=policy.code, period=period, region=region).exists():
            continue
        yield TodoItem(title=f"待新建：{policy.name} {period} {region.name}发放清册",
                       url=reverse("batch_create") + f"?policy={policy.pk}&period={period}", category="发放批次")
