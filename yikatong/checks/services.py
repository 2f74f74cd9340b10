"""Writes of the cross-checks: rule catalogue sync, runs (findings created / reopened / closed
idempotently by fingerprint) and dispositions. Keyword-only, explicit actor, audited."""
from django.db import transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core.refusals import Forbidden, invalid

from . import engine, findings_sql, rulesettings, sqlviews
from .errors import DisposeRefused
from .models import Finding, FindingState, Rule, RuleRun, RunScope, Severity
from .rules import BUILTIN

DISPOSE_ROLES = frozenset({Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_FINANCE, Role.DEPT_REVIEWER, Role.DEPT_HEAD,
                           Role.FINANCE_REVIEWER})
RUN_ROLES = DISPOSE_ROLES
SWEEP_ROLES = frozenset({Role.FINANCE_REVIEWER, Role.SUPERVISOR, Role.SYSADMIN})


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
        run_rule = lambda rule, sc, params, loaded: duck.run_rule(con, rule, sc, params, scope_loaded=loaded)  # noqa: E731
    else:
        run_rule = lambda rule, sc, params, loaded: engine.run_rule(rule, sc, params, scope_loaded=loaded)  # noqa: E731
    full_loaded = True  # the scope table holds every batch in scope (a settings group replaces it with its own)

    def runner(rule, group, params, whole):
        nonlocal full_loaded
        if whole:
            loaded, full_loaded = full_loaded, True
            return run_rule(rule, scope, params, loaded)
        full_loaded = False
        return run_rule(rule, sqlviews.scope_rows(group), params, False)

    with transaction.atomic():
        if engine_name != "duckdb":  # the scope table (temporary) is filled in the transaction that reads it
            engine.load_scope(scope)
        now = timezone.now()
        run = RuleRun.objects.create(scope=scope_kind, batch=batch, engine=engine_name, started_at=now,
                                     rules={r.code: r.version for r in rules},
                                     started_by=actor if getattr(actor, "is_authenticated", False) else None)
        batch_ids = {b.pk for b in batches} if scope_kind == RunScope.BATCH else None
        totals = {"hits": 0, "created": 0, "reopened": 0, "closed": 0}
        used_settings = {}
        settings_of = rulesettings.latest_settings_of(rules)
        for n, rule in enumerate(rules, 1):
            # one run per group of batches sharing the effective region / policy setting; disabled groups skipped
            groups, used = rulesettings.groups_for(rule, batches, settings_of.get(rule.pk, []))
            if used:
                used_settings[rule.code] = used
            whole = len(groups) == 1 and len(groups[0][1]) == len(batches)
            for params, group in groups:
                ids = batch_ids if batch_ids is not None or whole else {b.pk for b in group}
                counts = _apply_hits(rule, run, runner(rule, group, params, whole), batch_ids=ids, now=now)
                from yikatong.core.faults import fault_point  # crash tests: core/tests/test_faults.py
                fault_point("checks.run.mid_run")
                for k in totals:
                    totals[k] += counts[k]
            if progress:
                progress(n, len(rules), f"规则 {rule.name}")
        RuleRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), setting_versions=used_settings, **totals)
        run.refresh_from_db()
        record(actor=actor, action=f"checks.run_{scope_kind}", obj=run,
               object_repr=f"{run.get_scope_display()} {batch.code if batch else ''}".strip(),
               after={"rules": run.rules, "settings": run.setting_versions, **totals})
    return run


def batch_checks_run(*, actor, batch_id: int, progress=None) -> RuleRun:
    """Check one batch's active items against all data (the incremental run on submission).
    `actor=None` is the system (a background job)."""
    from yikatong.rosters.models import Batch

    from yikatong.rosters import scope

    batch = Batch.objects.select_related("policy").get(pk=batch_id)
    if actor is not None and not (actor.has_role(*RUN_ROLES) and scope.may_change_batch(actor, batch, RUN_ROLES)):
        raise Forbidden("BATCH_CHECK_NOT_ALLOWED")
    return _run(actor=actor, batches=[batch], scope_kind=RunScope.BATCH, batch=batch, progress=progress)


def sweep_run(*, actor, year: str | None = None, engine: str = "db", progress=None,
              region_prefix: str | None = None) -> RuleRun:
    """Full sweep over every batch (of `year` if given, of the region subtree `region_prefix` if given),
    on the primary database (engine "db") or in DuckDB over an extract of it ("duckdb"); both write
    findings the same way."""
    from yikatong.rosters.models import Batch

    if actor is not None and not actor.has_role(*SWEEP_ROLES):
        raise Forbidden("SWEEP_NOT_ALLOWED")
    qs = Batch.objects.select_related("policy")
    if year:
        qs = qs.filter(period__startswith=str(year))
    if region_prefix:
        qs = qs.filter(region__code__startswith=region_prefix)
    if engine not in ("db", "duckdb"):
        raise invalid("SWEEP_ENGINE_UNKNOWN")
    return _run(actor=actor, batches=list(qs), scope_kind=RunScope.SWEEP, progress=progress, engine_name=engine)


DECISIONS = (FindingState.CONFIRMED, FindingState.CLEARED, FindingState.TRANSFERRED)
# Who may propose clearing a blocking finding, and who confirms it (四眼): the owning department only.
PROPOSE_CLEAR_ROLES = frozenset({Role.DEPT_REVIEWER, Role.DEPT_HEAD})
CONFIRM_CLEAR_ROLES = frozenset({Role.DEPT_HEAD})


def _department_name(f) -> str:
    return f.batch.department.name if f.batch_id else ""


def _require_owning_department(actor, f, roles, code: str) -> None:
    """The actor holds one of `roles` in the finding's owning department (rosters.scope)."""
    from yikatong.rosters import scope

    if f.batch is None or not actor.has_role(*roles):
        raise DisposeRefused(code, department=_department_name(f) if f.batch_id else "主管部门")
    scope.require_change(actor, f.batch, roles, "处置该疑点")


def _require_not_maker(actor, f) -> None:
    from yikatong.rosters import scope

    if f.batch is not None and scope.is_maker(actor, f.batch):
        raise DisposeRefused("FOUR_EYES_MAKER", batch=f.batch.code)


def _lock_finding(finding_id: int) -> Finding:
    return Finding.objects.select_for_update(of=("self",)).select_related(
        "rule", "batch__region", "batch__department", "item").get(pk=finding_id)


def finding_dispose(*, actor, finding_id: int, decision: str, reason: str, evidence_text: str = "",
            evidence_files=()) -> Finding:
    """A named reviewer decides on an open finding:
    - confirmed: the item is removed from the batch while the batch is editable (else the decision
      is recorded for the return); either way a confirmed finding holds its item out of payment
      (payments.orders excludes it);
    - transferred (线索移送): confirmed as for `confirmed`, and handed to the supervisor as a clue
      (supervision.Clue with a case number) in the same transaction; reason required; the item is
      held until the case is closed;
    - cleared: reason and evidence (a note and/or files, see checks.evidence) required. A BLOCKING
      finding is only proposed for clearing (四眼): by a reviewer or head of the batch's owning
      department who neither imported nor edited the roster; it becomes `clear_pending` and keeps
      blocking until another head of that department confirms it (finding_clear_confirm).
    Scope through the batch (rosters.scope). `evidence_files` are checks.evidence.Upload(filename,
    data). One audit event."""
    from yikatong.rosters import scope
    from yikatong.rosters import services as roster_services
    from yikatong.rosters.importer.run import EDITABLE_STATES

    from . import evidence

    reason = (reason or "").strip()
    evidence_text = (evidence_text or "").strip()
    if decision not in DECISIONS:
        raise invalid("FINDING_DECISION_UNKNOWN")
    if decision == FindingState.CLEARED and not reason:
        raise invalid("FINDING_CLEAR_REASON_REQUIRED")
    if decision == FindingState.CLEARED and not (evidence_text or evidence_files):
        raise invalid("FINDING_CLEAR_EVIDENCE_REQUIRED")
    if decision == FindingState.TRANSFERRED and not reason:
        raise invalid("FINDING_TRANSFER_REASON_REQUIRED")
    files = evidence.check(evidence_files)
    with transaction.atomic():
        f = _lock_finding(finding_id)
        if actor is None or not getattr(actor, "is_authenticated", False):
            raise scope.ScopeRefused("NOT_AUTHENTICATED")
        if not actor.has_role(*DISPOSE_ROLES):
            raise scope.ScopeRefused("ROLE_NOT_ALLOWED", what="处置疑点")
        if f.batch is not None:
            scope.require_change(actor, f.batch, DISPOSE_ROLES, "处置该疑点")
        if f.state != FindingState.OPEN:
            raise invalid("FINDING_NOT_OPEN", state=f.get_state_display())
        four_eyes = decision == FindingState.CLEARED and f.severity == Severity.BLOCK
        if four_eyes:
            _require_owning_department(actor, f, PROPOSE_CLEAR_ROLES, "FOUR_EYES_ROLE")
            _require_not_maker(actor, f)
        outcome = ""
        if decision in (FindingState.CONFIRMED, FindingState.TRANSFERRED) and f.item is not None:
            if f.item.status != "active":
                outcome = "明细已剔除"
            elif f.batch.state in EDITABLE_STATES and scope.may_change_batch(actor, f.batch, {Role.TOWNSHIP_OPERATOR}):
                roster_services.item_remove(actor=actor, batch_id=f.batch_id, item_id=f.item_id,
                                            reason=f"疑点确认：{f.rule.name}"[:200])
                outcome = "已从批次中剔除"
            else:
                outcome = "批次已上报或无剔除权限，该明细不予支付（支付申请自动剔除），须退回经办站所剔除"
        now = timezone.now()
        stored = evidence.store(finding=f, actor=actor, text=evidence_text, files=files, now=now)
        state = FindingState.CLEAR_PENDING if four_eyes else decision
        after = {"state": state, "reason": reason, "outcome": outcome}
        if stored:
            after["evidence"] = evidence.summary(stored)
        case_no = ""
        if decision == FindingState.TRANSFERRED:
            from . import hooks  # supervision opens the case (supervision.transfer.open_clue)

            case_no = hooks.transfer_clue(actor=actor, finding=f, reason=reason, now=now).case_no
            after["case_no"] = case_no
        if four_eyes:
            outcome = "已提出排除，待主管部门负责人复核确认（确认前仍阻断审批）"
            after["outcome"] = outcome
        Finding.objects.filter(pk=f.pk).update(state=state, disposed_by=actor, disposed_at=now,
                                               reason=reason or "确认疑点属实")
        action = "checks.finding_clear_proposed" if four_eyes else f"checks.finding_{decision}"
        record(actor=actor, action=action, obj=f, object_repr=f"{f.rule.code} #{f.pk}",
               before={"state": FindingState.OPEN}, after=after)
    f.refresh_from_db()
    f.outcome = outcome
    f.case_no = case_no
    return f


def _review_clear(*, actor, finding_id: int, confirm: bool, note: str) -> Finding:
    from yikatong.rosters import scope

    note = (note or "").strip()
    if not confirm and not note:
        raise DisposeRefused("CLEAR_REVIEW_NOTE_REQUIRED")
    with transaction.atomic():
        f = _lock_finding(finding_id)
        if actor is None or not getattr(actor, "is_authenticated", False):
            raise scope.ScopeRefused("NOT_AUTHENTICATED")
        _require_owning_department(actor, f, CONFIRM_CLEAR_ROLES, "FOUR_EYES_HEAD_ONLY")
        if f.state != FindingState.CLEAR_PENDING:
            raise DisposeRefused("FINDING_NOT_PENDING", state=f.get_state_display())
        if f.disposed_by_id == actor.pk:
            raise DisposeRefused("FOUR_EYES_SAME_PERSON")
        _require_not_maker(actor, f)
        now = timezone.now()
        before = {"state": f.state, "proposed_by": f.disposed_by_id, "reason": f.reason}
        if confirm:
            Finding.objects.filter(pk=f.pk).update(state=FindingState.CLEARED, confirmed_by=actor, confirmed_at=now)
            after = {"state": FindingState.CLEARED, "note": note}
            action = "checks.finding_cleared"
        else:  # back to open: the proposal and its reason stay in the audit trail and the evidence
            Finding.objects.filter(pk=f.pk).update(state=FindingState.OPEN, disposed_by=None, disposed_at=None,
                                                   reason="")
            after = {"state": FindingState.OPEN, "note": note}
            action = "checks.finding_clear_rejected"
        record(actor=actor, action=action, obj=f, object_repr=f"{f.rule.code} #{f.pk}", before=before, after=after)
    f.refresh_from_db()
    f.outcome = "已复核确认排除" if confirm else "排除申请已退回，疑点重新待处置"
    f.case_no = ""
    return f


def finding_clear_confirm(*, actor, finding_id: int, note: str = "") -> Finding:
    """四眼 second step: a head of the owning department, not the proposer and not a maker of the
    roster, confirms the proposed clearing of a blocking finding (clear_pending -> cleared)."""
    return _review_clear(actor=actor, finding_id=finding_id, confirm=True, note=note)


def finding_clear_reject(*, actor, finding_id: int, note: str) -> Finding:
    """四眼 second step refused: the proposed clearing goes back to open, with the head's reason."""
    return _review_clear(actor=actor, finding_id=finding_id, confirm=False, note=note)
