"""To-do entries: catalogue deadlines and catalogues to file (finance), change requests to decide."""
from django.urls import reverse
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.core.profiles import current_profile
from yikatong.web.todo import TodoItem, register

from .approvals import current_step, may_decide
from .deadlines import catalogue_deadlines
from .models import CatalogueState, ChangeState, PolicyCatalogue
from .permissions import actor_region
from .selectors import change_requests_for


def _catalogue_url(pk):
    return reverse("policy_catalogue", args=[pk]) if pk else reverse("policy_catalogues")


@register
def catalogue_todos(user):
    region = actor_region(user)
    if region is None or not user.has_role(Role.FINANCE_REVIEWER):
        return []
    today = timezone.localdate()
    items = [
        TodoItem(d.title, _catalogue_url(d.catalogue_id), due=d.due, overdue=d.overdue, category="补贴政策清单")
        for d in catalogue_deadlines(region, today=today, profile=current_profile())
    ]
    lower = PolicyCatalogue.objects.filter(state=CatalogueState.SUBMITTED, region__parent_id=region.code)
    if region.level == 1:
        lower = lower | PolicyCatalogue.objects.filter(state=CatalogueState.SUBMITTED, region=region)
    for cat in lower.select_related("region"):
        items.append(TodoItem(f"{cat}已报送，请审核备案", _catalogue_url(cat.pk), category="补贴政策清单"))
    for cat in PolicyCatalogue.objects.filter(state=CatalogueState.FILED, region=region).select_related("region"):
        items.append(TodoItem(f"{cat}已备案，请向社会公布", _catalogue_url(cat.pk), category="补贴政策清单"))
    return items


@register
def change_request_todos(user):
    if actor_region(user) is None or not user.has_role(Role.FINANCE_REVIEWER, Role.DEPT_REVIEWER, Role.DEPT_HEAD,
                                                      Role.TOWNSHIP_HEAD):
        return []
    items = []
    for change in change_requests_for(user).filter(state=ChangeState.PENDING).prefetch_related("steps")[:200]:
        step = current_step(change)
        if may_decide(user, change, step):
            items.append(TodoItem(f"调整变更申请 {change.number}（{change}）待{step.label}审批",
                                  reverse("policy_change", args=[change.pk]), category="补贴政策清单"))
    return items
