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
