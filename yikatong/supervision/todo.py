"""To-do entries of supervision: clues waiting for the supervisor's follow-up."""
from django.urls import reverse
from django.utils import timezone

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


@register
def recoveries_owed(user):
    """Recoveries still owed: finance (who records repayments) sees each with its due date, overdue flagged;
    supervisors see the overdue ones."""
    from yikatong.accounts.roles import Role
    from yikatong.core.money import Money

    from .recovery_selectors import LIVE, is_overdue, recoveries_for

    if not getattr(user, "is_authenticated", False):
        return
    finance = user.has_role(Role.FINANCE_REVIEWER)
    qs = recoveries_for(user).filter(state__in=LIVE).order_by("due_on")
    if not finance:
        qs = qs.filter(due_on__lt=timezone.localdate())
    for r in qs[:100]:
        late = is_overdue(r)
        yield TodoItem(title=f"{'违规资金追回逾期' if late else '违规资金待追回'}：{r.recovery_no} 尚欠 {Money(r.outstanding_fen)}",
                       url=reverse("supervision_recovery", args=[r.pk]), due=r.due_on, overdue=late, category="追回问责")
