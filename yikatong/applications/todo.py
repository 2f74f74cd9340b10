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
