"""To-do entries of the disclosure app: open complaints the user handles (escalated ones at the county
level), due by the working-day deadline."""
from django.urls import reverse
from django.utils import timezone

from yikatong.web.todo import TodoItem, register

from . import complaints_scope
from .models.complaints import ComplaintState


@register
def complaints_open(user):
    today = timezone.localdate()
    qs = (complaints_scope.handled_by(user)
          .filter(state__in=(ComplaintState.RECEIVED, ComplaintState.ASSIGNED)).order_by("due_on", "pk"))
    for c in qs[:100]:
        up = "（已逾期升级）" if c.escalation else ""
        yield TodoItem(title=f"{c.get_kind_display()}待答复{up}：{c.tracking_no}",
                       url=reverse("disclosure_complaint", args=[c.pk]), due=c.due_on, overdue=c.due_on < today,
                       category="投诉举报")
