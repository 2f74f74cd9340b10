from django.shortcuts import get_object_or_404, render

from . import selectors


def job_list(request):
    return render(request, "jobs/list.html", {"jobs": selectors.jobs_for(request.user)[:100]})


def job_detail(request, job_id: int):
    job = get_object_or_404(selectors.jobs_for(request.user), pk=job_id)
    return render(request, "jobs/detail.html", {"job": job})


def job_progress(request, job_id: int):
    """HTMX partial: the progress bar, polled until the job finishes."""
    job = get_object_or_404(selectors.jobs_for(request.user), pk=job_id)
    return render(request, "jobs/_progress.html", {"job": job})


def schedule_list(request):
    """定时任务: each declared schedule, its last and next run, recent failures (system admins)."""
    from yikatong.accounts.roles import Role
    from yikatong.core.refusals import Forbidden

    from . import errors  # noqa: F401  (the codes' messages)

    if not request.user.has_role(Role.SYSADMIN):
        raise Forbidden("SCHEDULE_ADMIN_ONLY")
    return render(request, "jobs/schedules.html", {"rows": selectors.schedules_overview()})
