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


def enqueue_sweep(*, actor, year: str | None = None, engine: str = "duckdb"):
    """Queue a full sweep (finance / supervisor)."""
    from yikatong.accounts.roles import Role
    from yikatong.core.refusals import Forbidden
    from yikatong.jobs.services import enqueue

    if actor is not None and not actor.has_role(Role.FINANCE_REVIEWER, Role.SUPERVISOR, Role.SYSADMIN):
        raise Forbidden("SWEEP_NOT_ALLOWED")
    return enqueue(actor=actor, kind="yikatong.checks.tasks.sweep_job", title=f"全量大数据比对 {year or ''}".strip(),
                   key=f"checks:sweep:{year or 'all'}", params={"year": year, "engine": engine})


def sweep_start(*, actor, region_code: str, year: str | None = None, engine: str = "duckdb"):
    """A user asks for the sweep of one region subtree (the command `checks sweep`): who may sweep
    (services.SWEEP_ROLES), the region within the actor's scope, then the queued job (audited as
    jobs.enqueue by the actor); the job sweeps the batches of that subtree only."""
    from yikatong.accounts.scope import region_in_scope
    from yikatong.core.refusals import Forbidden
    from yikatong.jobs.services import enqueue
    from yikatong.regions.selectors import code_prefix, region_or_refuse

    from .services import SWEEP_ROLES

    region = region_or_refuse(region_code)
    if actor is None or not actor.has_role(*SWEEP_ROLES):
        raise Forbidden("SWEEP_NOT_ALLOWED")
    if not region_in_scope(actor, region.code):
        raise Forbidden("SWEEP_REGION_NOT_IN_SCOPE", region=region.name)
    if engine not in ("db", "duckdb"):
        from yikatong.core.refusals import invalid

        raise invalid("SWEEP_ENGINE_UNKNOWN")
    prefix = code_prefix(region.code)
    return enqueue(actor=actor, kind="yikatong.checks.tasks.sweep_job",
                   title=f"全量大数据比对 {region.name} {year or ''}".strip(),
                   key=f"checks:sweep:{prefix}:{year or 'all'}",
                   params={"year": year, "engine": engine, "region_prefix": prefix})
