from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yikatong.accounts.roles import Role
from yikatong.jobs import services as job_services

from . import audit_selectors as selectors


def _allowed(user) -> bool:
    return user.has_role(Role.SUPERVISOR, Role.SYSADMIN)


def event_list(request):
    if not _allowed(request.user):
        raise PermissionDenied  # handler403 renders the 403 page (code FORBIDDEN)
    events = selectors.events_for(request.user).order_by("-seq")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    return render(request, "audit/events.html", {"events": events[:200], "action": action})


@require_POST
def verify_start(request):
    if not _allowed(request.user):
        raise PermissionDenied  # handler403 renders the 403 page (code FORBIDDEN)
    job = job_services.enqueue(
        actor=request.user, kind="yikatong.web.tasks.verify_job", title="审计链完整性校验", key=f"audit.verify:{request.user.pk}"
    )
    return redirect("job_detail", job_id=job.pk)
