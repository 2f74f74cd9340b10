"""To-do entries of supervision: clues waiting for the supervisor's follow-up."""
from django.urls import reverse

from yikatong.web.todo import TodoItem, register

from . import selectors
from .models import ClueState


@register
def clues_waiting(user):
    for clue in selectors.clues_waiting(user).order_by("transferred_at")[:100]:
        what = "待核查" if clue.state == ClueState.TRANSFERRED else "核查中，待办结"
        yield TodoItem(title=f"移送线索{what}：{clue.case_no} {clue.title}",
                       url=reverse("supervision_clue", args=[clue.pk]), category="监督检查")


@register
def inspections_open(user):
    """Inspection plans drawn or in progress in the inspector's region (the scheduled quarterly ones too)."""
    from .inspection_selectors import plans_for
    from .models_inspections import PlanState

    for plan in plans_for(user).filter(state__in=(PlanState.DRAWN, PlanState.IN_PROGRESS)).order_by("created_at")[:100]:
        what = "已抽取样本，待开始核查" if plan.state == PlanState.DRAWN else "核查中，待登记结果"
        yield TodoItem(title=f"抽查计划{what}：{plan.plan_no} {plan.title}",
                       url=reverse("supervision_inspection", args=[plan.pk]), category="监督检查")
