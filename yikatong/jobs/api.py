from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import selectors

router = Router(tags=["后台任务"])


class JobOut(Schema):
    id: int
    title: str
    state: str
    done: int
    total: int
    percent: int
    progress: int  # percent done (100 once done)
    message: str
    result: dict | list | None = None  # what the job produced (ids, counts), once done
    finished: bool


class ScheduleRunOut(Schema):
    slot_time: str
    state: str
    state_label: str
    finished_at: str | None
    message: str


class ScheduleOut(Schema):
    name: str
    title: str
    description: str
    cron: str
    in_words: str
    next_run: str | None
    last_run: ScheduleRunOut | None
    failures: list[ScheduleRunOut]


def _run_out(run, outcome) -> dict:
    state, label, message = outcome
    return {"slot_time": run.slot_time.isoformat(), "state": state, "state_label": label,
            "finished_at": run.finished_at.isoformat() if run.finished_at else None, "message": message}


@router.get("/schedules", response=list[ScheduleOut], summary="定时任务",
            description="每项定时任务的说明、运行时间、上次运行（状态、时间、结果）、下次运行时间和近30天的失败；"
                        "只有系统管理员可用（403 SCHEDULE_ADMIN_ONLY）。与“定时任务”页面相同。")
def schedules(request):
    from yikatong.accounts.roles import Role
    from yikatong.core.refusals import Forbidden

    from . import errors  # noqa: F401  (the codes' messages)

    if not request.user.has_role(Role.SYSADMIN):
        raise Forbidden("SCHEDULE_ADMIN_ONLY")
    return [{"name": row["entry"].name, "title": row["entry"].title, "description": row["entry"].description,
             "cron": row["entry"].cron, "in_words": row["entry"].in_words,
             "next_run": row["next"].isoformat() if row["next"] else None,
             "last_run": _run_out(row["last"], row["last_outcome"]) if row["last"] else None,
             "failures": [_run_out(run, outcome) for run, outcome in row["failures"]]}
            for row in selectors.schedules_overview()]


def _out(j) -> dict:
    return {"id": j.pk, "title": j.title, "state": j.state, "done": j.done, "total": j.total, "percent": j.percent,
            "progress": j.percent, "message": j.message, "result": j.result, "finished": j.state in ("done", "failed")}


@router.get("/", response=list[JobOut], summary="本人可见的后台任务（最近 100 个）")
def jobs(request):
    return [_out(j) for j in selectors.jobs_for(request.user)[:100]]


@router.get("/{job_id}", response=JobOut, summary="任务进度")
def job(request, job_id: int):
    return _out(get_object_or_404(selectors.jobs_for(request.user), pk=job_id))
