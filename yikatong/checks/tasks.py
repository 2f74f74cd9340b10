"""Background runs of the cross-checks with progress."""
from yikatong.jobs.registry import job_handler

from .services import batch_checks_run


@job_handler
def batch_check_job(job, progress):
    run = batch_checks_run(actor=None, batch_id=job.params["batch_id"], progress=progress)
    msg = f"比对完成：命中 {run.hits} 条，新增疑点 {run.created} 条，已消除 {run.closed} 条"
    return msg, {"run_id": run.pk, "hits": run.hits, "created": run.created, "closed": run.closed}


def enqueue_batch_check(*, actor, batch_id: int):
    """Queue the incremental check of a batch (runs once the caller's transaction commits).
    Call it right after a roster is submitted (send_compare / submit / resubmit)."""
    from yikatong.jobs.services import enqueue

    return enqueue(actor=actor, kind="yikatong.checks.tasks.batch_check_job", title="批次大数据比对",
                   key=f"checks:batch:{batch_id}", params={"batch_id": batch_id})


def batch_check_start(*, actor, batch_id: int):
    """A user asks for the checks of one batch (the API): who may run them (services.RUN_ROLES, in the
    batch's scope, rosters.scope), then the queued job (audited as jobs.enqueue by the actor)."""
    from yikatong.rosters import scope
    from yikatong.rosters.models import Batch

    from .services import RUN_ROLES

    scope.require_change(actor, Batch.objects.get(pk=batch_id), RUN_ROLES, "运行比对")
    return enqueue_batch_check(actor=actor, batch_id=batch_id)


@job_handler
def sweep_job(job, progress):
    from .services import sweep_run

    run = sweep_run(actor=None, year=job.params.get("year"), engine=job.params.get("engine", "duckdb"),
                    progress=progress, region_prefix=job.params.get("region_prefix"))
    msg = f"全量比对完成：命中 {run.hits} 条，新增疑点 {run.created} 条，已消除 {run.closed} 条"
    return msg, {"run_id": run.pk, "hits": run.hits, "created": run.created, "closed": run.closed}


def sweep_start(*, actor, region_code: str | None = None, year: str | None = None, engine: str = "duckdb"):
    """A user asks for the full sweep (全量比对) of a region subtree — the page's, the API's and the
    command's one way in: who may sweep (services.SWEEP_ROLES), the region within the actor's scope
    (no region: the actor's whole scope, never more — a county's finance reviewer never sweeps another
    county's batches), the year and engine, then the queued job (audited as jobs.enqueue by the actor);
    the job sweeps the batches of that subtree only. The nightly schedule queues sweep_job itself,
    system-wide."""
    from yikatong.accounts.scope import region_in_scope
    from yikatong.core.refusals import Forbidden, invalid
    from yikatong.jobs.services import enqueue
    from yikatong.regions.selectors import code_prefix, region_or_refuse

    from .services import SWEEP_ROLES

    if actor is None or not actor.has_role(*SWEEP_ROLES):
        raise Forbidden("SWEEP_NOT_ALLOWED")
    if year and not (str(year).isdigit() and len(str(year)) == 4):
        raise invalid("SWEEP_YEAR_INVALID")
    if engine not in ("db", "duckdb"):
        raise invalid("SWEEP_ENGINE_UNKNOWN")
    if region_code:
        region = region_or_refuse(region_code)
        if not region_in_scope(actor, region.code):
            raise Forbidden("SWEEP_REGION_NOT_IN_SCOPE", region=region.name)
        prefix, place = code_prefix(region.code), region.name
    elif actor.is_superuser and actor.organization_id is None:
        prefix, place = "", "全部区划"
    elif actor.region is not None:
        prefix, place = actor.scope_prefix, actor.region.name
    else:
        raise Forbidden("SWEEP_REGION_NOT_IN_SCOPE", region="（无辖区）")
    return enqueue(actor=actor, kind="yikatong.checks.tasks.sweep_job",
                   title=f"全量大数据比对 {place} {year or ''}".strip(),
                   key=f"checks:sweep:{prefix or 'all'}:{year or 'all'}",
                   params={"year": year, "engine": engine, "region_prefix": prefix})
