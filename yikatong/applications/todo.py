"""To-do entries: applications waiting on the user; the township's verification deadline is counted in
working days (the profile's township_verify_working_days) and shown overdue once passed."""
from django.urls import reverse
from django.utils import timezone

from yikatong.web.todo import TodoItem, register

from . import selectors
from .transitions import state_label


@register
def applications_waiting(user):
    today = timezone.localdate()
    for a in selectors.waiting_on(user).select_related("policy", "village").order_by("due_date", "pk")[:50]:
        yield TodoItem(title=f"{state_label(a.state)}：{a.policy.name} {a.year} {a.village.name} {a.name}",
                       url=reverse("application_detail", args=[a.pk]), due=a.due_date,
                       overdue=bool(a.due_date and a.due_date < today), category="补贴申请")


@register
def approved_waiting_for_a_batch(user):
    """Township operators: approved applications of their township not yet on a roster (to be pulled into
    the next batch of their policy)."""
    from django.db.models import Count

    if not user.has_role("township_operator"):
        return
    rows = (selectors.applications_for_roles(user, ("township_operator",)).filter(state="approved", batch_item__isnull=True)
            .values("policy_code", "policy__name", "year").annotate(n=Count("id")).order_by("policy_code", "year"))
    for r in rows:
        yield TodoItem(title=f"待纳入清册：{r['policy__name']} {r['year']}年 已审批申请 {r['n']} 份",
                       url=reverse("batch_list") + f"?policy={r['policy_code']}", category="补贴申请")
