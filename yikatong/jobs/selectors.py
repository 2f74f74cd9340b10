from django.db.models import QuerySet

from yikatong.accounts.roles import Role

from .models import Job, WorkerHeartbeat


def jobs_for(actor) -> QuerySet[Job]:
    """A user sees their own jobs; system admins see the jobs of users in their region subtree."""
    if actor.has_role(Role.SYSADMIN):
        from django.db.models import Q

        from yikatong.accounts.scope import in_scope

        return Job.objects.filter(Q(owner=actor) | Q(pk__in=in_scope(Job.objects.all(), actor, "owner__organization__region").values("pk")))
    return Job.objects.filter(owner=actor)


def worker_state(stale_seconds: int = 30) -> dict:
    from django.utils import timezone

    beat = WorkerHeartbeat.objects.order_by("-seen_at").first()
    if beat is None:
        state = {"state": "absent", "detail": "后台任务进程未运行"}
    else:
        age = (timezone.now() - beat.seen_at).total_seconds()
        if age > stale_seconds:
            state = {"state": "stale", "detail": f"后台任务进程已 {int(age)} 秒无响应", "last_seen": beat.seen_at.isoformat()}
        else:
            state = {"state": "ok", "detail": "后台任务进程运行中", "last_seen": beat.seen_at.isoformat()}
    lapsed = lapsed_jobs()
    if lapsed:  # a running job whose lease ran out a whole lease ago: nobody is taking it back
        state["lapsed_jobs"] = lapsed
        state["detail"] += f"；{lapsed} 个任务的运行租约已过期，等待后台进程收回"
    return state


def lapsed_jobs() -> int:
    """Running jobs whose lease lapsed more than one lease ago (the worker's recovery should have
    taken them back by then: see services.recover_interrupted)."""
    from datetime import timedelta

    from django.utils import timezone

    from .lease import lease_seconds
    from .models import JobState

    cut = timezone.now() - timedelta(seconds=lease_seconds())
    return Job.objects.filter(state=JobState.RUNNING, lease_until__lt=cut).count()
