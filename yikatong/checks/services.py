"""Writes of the cross-checks: rule catalogue sync, runs (findings created / reopened / closed
idempotently by fingerprint) and dispositions. Keyword-only, explicit actor, audited."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record

from . import engine, findings_sql, sqlviews
from .models import Finding, FindingState, Rule, RuleRun, RunScope
from .rules import BUILTIN

DISPOSE_ROLES = frozenset({Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_FINANCE, Role.DEPT_REVIEWER, Role.DEPT_HEAD,
                           Role.FINANCE_REVIEWER})
RUN_ROLES = DISPOSE_ROLES


def ensure_rules() -> list[Rule]:
    """Store the built-in rules; a higher built-in version replaces the logic (parameters and
    the enabled flag set locally are kept)."""
    stored = {r.code: r for r in Rule.objects.all()}
    for d in BUILTIN:
        r = stored.get(d.code)
        fields = dict(name=d.name, description=d.description, severity=d.severity, datasets=list(d.datasets),
                      sql=d.sql, key_columns=list(d.key), message=d.message, version=d.version)
        if r is None:
            Rule.objects.create(code=d.code, params=dict(d.params), **fields)
        elif r.version < d.version:
            Rule.objects.filter(pk=r.pk).update(**fields)
    return list(Rule.objects.filter(enabled=True).order_by("code"))


def _apply_hits(rule: Rule, run: RuleRun, hits, *, batch_ids: set[int] | None, now) -> dict:
    """Create / reopen findings for `hits`; close the open findings of the scope not hit again
    (set-based: findings_sql)."""
    return findings_sql.apply_hits(rule, run, hits, batch_ids=batch_ids, now=now)


def _run(*, actor, batches, scope_kind: str, batch=None, progress=None, engine_name: str = "db") -> RuleRun:
    rules = ensure_rules()
    scope = sqlviews.scope_rows(batches)
    if engine_name == "duckdb":
        from . import duck

        con = duck.extract()
        duck.load_scope(con, scope)
        runner = lambda rule: duck.run_rule(con, rule, None, scope_loaded=True)  # noqa: E731
    else:
        runner = lambda rule: engine.run_rule(rule, None, scope_loaded=True)  # noqa: E731
    with transaction.atomic():
        if engine_name != "duckdb":  # the scope table (temporary) is filled in the transaction that reads it
            engine.load_scope(scope)
        now = timezone.now()
        run = RuleRun.objects.create(scope=scope_kind, batch=batch, engine=engine_name, started_at=now,
                                     rules={r.code: r.version for r in rules},
                                     started_by=actor if getattr(actor, "is_authenticated", False) else None)
        batch_ids = {b.pk for b in batches} if scope_kind == RunScope.BATCH else None
        totals = {"hits": 0, "created": 0, "reopened": 0, "closed": 0}
        for n, rule in enumerate(rules, 1):
            counts = _apply_hits(rule, run, runner(rule), batch_ids=batch_ids, now=now)
            for k in totals:
                totals[k] += counts[k]
            if progress:
                progress(n, len(rules), f"规则 {rule.name}")
        RuleRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), **totals)
        run.refresh_from_db()
        record(actor=actor, action=f"checks.run_{scope_kind}", obj=run,
               object_repr=f"{run.get_scope_display()} {batch.code if batch else ''}".strip(),
               after={"rules": run.rules, **totals})
    return run


def run_for_batch(*, actor, batch_id: int, progress=None) -> RuleRun:
    """Check one batch's active items against all data (the incremental run on submission).
    `actor=None` is the system (a background job)."""
    from yikatong.rosters.models import Batch

    batch = Batch.objects.select_related("policy").get(pk=batch_id)
    if actor is not None and not (actor.has_role(*RUN_ROLES) and region_in_scope(actor, batch.region_id)):
        raise PermissionDenied("您不能对该批次运行比对")
    return _run(actor=actor, batches=[batch], scope_kind=RunScope.BATCH, batch=batch, progress=progress)


def run_sweep(*, actor, year: str | None = None, engine: str = "db", progress=None) -> RuleRun:
    """Full sweep over every batch (of `year` if given), on the primary database (engine "db") or
    in DuckDB over an extract of it ("duckdb"); both write findings the same way."""
    from yikatong.rosters.models import Batch

    if actor is not None and not actor.has_role(Role.FINANCE_REVIEWER, Role.SUPERVISOR, Role.SYSADMIN):
        raise PermissionDenied("您不能运行全量比对")
    qs = Batch.objects.select_related("policy")
    if year:
        qs = qs.filter(period__startswith=str(year))
    if engine not in ("db", "duckdb"):
        raise ValidationError("比对引擎只能是 db 或 duckdb")
    return _run(actor=actor, batches=list(qs), scope_kind=RunScope.SWEEP, progress=progress, engine_name=engine)


def dispose(*, actor, finding_id: int, decision: str, reason: str) -> Finding:
    """A named reviewer decides on an open finding: confirmed (the item is removed from the batch
    while the batch is editable, else the decision is recorded for the return) or cleared (reason
    required)."""
    from yikatong.rosters import services as roster_services
    from yikatong.rosters.importer.run import EDITABLE_STATES

    reason = (reason or "").strip()
    if decision not in (FindingState.CONFIRMED, FindingState.CLEARED):
        raise ValidationError("处置结论只能是“确认”或“排除”")
    if decision == FindingState.CLEARED and not reason:
        raise ValidationError("排除疑点必须填写理由和依据")
    with transaction.atomic():
        f = Finding.objects.select_for_update(of=("self",)).select_related("rule", "batch", "item").get(pk=finding_id)
        if not actor.has_role(*DISPOSE_ROLES):
            raise PermissionDenied("您的角色不能处置疑点")
        if f.batch is not None and not region_in_scope(actor, f.batch.region_id):
            raise PermissionDenied("该疑点不在您的辖区内")
        if f.state != FindingState.OPEN:
            raise ValidationError(f"该疑点当前为“{f.get_state_display()}”，不能再处置")
        outcome = ""
        if decision == FindingState.CONFIRMED and f.item is not None:
            if f.item.status != "active":
                outcome = "明细已剔除"
            elif f.batch.state in EDITABLE_STATES and actor.has_role(Role.TOWNSHIP_OPERATOR):
                roster_services.remove_item(actor=actor, batch_id=f.batch_id, item_id=f.item_id,
                                            reason=f"疑点确认：{f.rule.name}"[:200])
                outcome = "已从批次中剔除"
            else:
                outcome = "批次已上报或无剔除权限，须退回经办站所剔除"
        now = timezone.now()
        Finding.objects.filter(pk=f.pk).update(state=decision, disposed_by=actor, disposed_at=now,
                                               reason=reason or "确认疑点属实")
        record(actor=actor, action=f"checks.finding_{decision}", obj=f, object_repr=f"{f.rule.code} #{f.pk}",
               before={"state": FindingState.OPEN}, after={"state": decision, "reason": reason, "outcome": outcome})
    f.refresh_from_db()
    f.outcome = outcome
    return f
