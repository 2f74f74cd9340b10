"""To-do entries: allocations still to be passed down (下达), overdue ones flagged."""
from django.urls import reverse

from yikatong.accounts.roles import Role
from yikatong.core.money import Money
from yikatong.web.todo import TodoItem, register

from .selectors import open_allocations_managed_by


@register
def allocation_todos(user):
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.FINANCE_REVIEWER):
        return []
    items = []
    for a in open_allocations_managed_by(user)[:200]:
        items.append(TodoItem(
            f"下达资金指标：{a.quota.policy.name} {Money(a.amount_fen)} → {a.target_name}（{a.quota.doc_number}）",
            reverse("fund_quota", args=[a.quota_id]), due=a.deadline, overdue=a.is_overdue, category="资金指标",
        ))
    return items
