"""Findings from inspections (抽查不符): a failed spot check (phone, home visit, documents) on one paid roster
item opens a finding of the built-in-but-never-run rule INSPECTION (抽查核实不符, severity block), named by
the inspection plan's number. The sibling of checks.manual (complaints): the same shape — stored disabled and
without SQL, so no run opens or closes it; disposed of like every finding (confirm, transfer as a clue,
clear with four eyes). supervision.inspections calls it inside the result's transaction."""
import hashlib

from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core.refusals import invalid

from . import errors  # noqa: F401  (registers the refusal messages)
from .models import Finding, FindingState, Rule, Severity

INSPECTION_RULE = "INSPECTION"
INSPECTION_ROLES = frozenset({Role.SUPERVISOR, Role.FINANCE_REVIEWER})


def inspection_rule() -> Rule:
    rule, _ = Rule.objects.get_or_create(code=INSPECTION_RULE, defaults={
        "name": "抽查核实不符", "severity": Severity.BLOCK, "datasets": [], "sql": "", "key_columns": [],
        "message": "{reason}", "enabled": False,
        "description": "不是比对规则：监督抽查（电话抽查、实地入户走访、查阅资料）核实与发放明细不符时，由抽查人员针对该条明细"
                       "登记的疑点（注明抽查计划编号和情况）。须像其他疑点一样处置；比对运行不会产生或消除此类疑点。"})
    return rule


def finding_open_inspection(*, actor, item_id: int, reason: str, source_ref: str) -> Finding:
    """Open a blocking finding on item `item_id` for inspection plan `source_ref`: the actor is a supervisor or
    finance reviewer who sees the item's batch (rosters.scope, ScopeRefused otherwise); one finding per plan
    and item (MANUAL_FINDING_EXISTS). Must run inside the caller's transaction; one audit event."""
    from yikatong.rosters import scope
    from yikatong.rosters.models import BatchItem

    reason, source_ref = (reason or "").strip()[:250], (source_ref or "").strip()
    if not reason:
        raise invalid("MANUAL_FINDING_REASON_REQUIRED", limit=250)
    item = BatchItem.objects.select_related("batch").get(pk=item_id)
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise scope.ScopeRefused("NOT_AUTHENTICATED")
    answer = scope.refusal(actor, item.batch, INSPECTION_ROLES, what="对该批次登记抽查疑点", write=False)
    if answer is not None:
        raise answer
    rule = inspection_rule()
    fp = hashlib.sha256(f"{INSPECTION_RULE}|{source_ref}|{item.pk}".encode()).hexdigest()
    if Finding.objects.filter(rule=rule, fingerprint=fp).exists():
        raise invalid("MANUAL_FINDING_EXISTS", seq=item.seq, batch=item.batch.code, source=source_ref)
    now = timezone.now()
    f = Finding.objects.create(
        rule=rule, fingerprint=fp, batch=item.batch, item=item, id_bidx=item.id_bidx, state=FindingState.OPEN,
        severity=rule.severity, message=f"抽查不符（{source_ref}）：{reason}"[:300],
        evidence={"source": "inspection", "source_ref": source_ref, "reason": reason}, rule_version=rule.version,
        first_seen_at=now, last_seen_at=now)
    record(actor=actor, action="checks.finding_open_inspection", obj=f, object_repr=f"{rule.code} #{f.pk}",
           after={"batch": item.batch.code, "seq": item.seq, "source_ref": source_ref, "reason": reason})
    return f
