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
        return {"state": "absent", "detail": "后台任务进程未运行"}
    age = (timezone.now() - beat.seen_at).total_seconds()
    if age > stale_seconds:
        return {"state": "stale", "detail": f"后台任务进程已 {int(age)} 秒无响应", "last_seen": beat.seen_at.isoformat()}
    return {"state": "ok", "detail": "后台任务进程运行中", "last_seen": beat.seen_at.isoformat()}
