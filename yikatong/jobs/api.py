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


def _out(j) -> dict:
    return {"id": j.pk, "title": j.title, "state": j.state, "done": j.done, "total": j.total, "percent": j.percent,
            "progress": j.percent, "message": j.message, "result": j.result, "finished": j.state in ("done", "failed")}


@router.get("/", response=list[JobOut], summary="本人可见的后台任务（最近 100 个）")
def jobs(request):
    return [_out(j) for j in selectors.jobs_for(request.user)[:100]]


@router.get("/{job_id}", response=JobOut, summary="任务进度")
def job(request, job_id: int):
    return _out(get_object_or_404(selectors.jobs_for(request.user), pk=job_id))
