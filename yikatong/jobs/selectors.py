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


def run_outcome(run) -> tuple[str, str, str]:
    """(state, its label, message) of a scheduled run: its own record, or its job's where the job got
    further (a job failed after its runner died is failed by recover_interrupted, not by the run)."""
    from .models import JobState, RunState

    state, message = run.state, run.message
    job = run.job
    if job is not None and state in (RunState.QUEUED, RunState.RUNNING):
        if job.state == JobState.FAILED:
            state, message = RunState.FAILED, job.message
        elif job.state == JobState.DONE:
            state, message = RunState.DONE, job.message
        elif job.state == JobState.RUNNING:
            state = RunState.RUNNING
    return state, RunState(state).label, message


def schedules_overview(*, now=None, failures: int = 5, failure_days: int = 30) -> list[dict]:
    """Each declared schedule with its last run, the next slot and its recent failures (the page)."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import RunState, ScheduleRun
    from .schedule import declared

    now = now or timezone.now()
    since = now - timedelta(days=failure_days)
    rows = []
    for entry in declared().values():
        runs = ScheduleRun.objects.filter(name=entry.name).select_related("job")
        last = runs.order_by("-slot_time").first()
        recent = [r for r in runs.filter(slot_time__gte=since).order_by("-slot_time")[:200]
                  if run_outcome(r)[0] == RunState.FAILED][:failures]
        rows.append({
            "entry": entry, "next": entry.next_slot(now),
            "last": last, "last_outcome": run_outcome(last) if last else None,
            "failures": [(r, run_outcome(r)) for r in recent],
        })
    return rows
