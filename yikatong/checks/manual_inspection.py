"""Findings from inspections (抽查不符): a failed spot check (phone, home visit, documents) on one paid roster
item opens a finding of the built-in-but-never-run rule INSPECTION (抽查核实不符, severity block), named by
the inspection plan's number. A kind of checks.manual's findings: stored disabled and without SQL, so no run
opens or closes it; disposed of like every finding (confirm, transfer as a clue, clear with four eyes).
supervision.inspections calls it inside the result's transaction."""
from yikatong.accounts.roles import Role

from .manual import REASON_MAX, ManualKind, finding_open, stored_rule
from .models import Finding, Rule

INSPECTION_RULE = "INSPECTION"
INSPECTION_ROLES = frozenset({Role.SUPERVISOR, Role.FINANCE_REVIEWER})

INSPECTION_KIND = ManualKind(
    rule=INSPECTION_RULE, name="抽查核实不符", roles=INSPECTION_ROLES, label="抽查不符", source="inspection",
    action="checks.finding_open_inspection", what="对该批次登记抽查疑点",
    description="不是比对规则：监督抽查（电话抽查、实地入户走访、查阅资料）核实与发放明细不符时，由抽查人员针对该条明细"
                "登记的疑点（注明抽查计划编号和情况）。须像其他疑点一样处置；比对运行不会产生或消除此类疑点。")


def inspection_rule() -> Rule:
    return stored_rule(INSPECTION_KIND)


def finding_open_inspection(*, actor, item_id: int, reason: str, source_ref: str) -> Finding:
    """Open a blocking finding on item `item_id` for inspection plan `source_ref` (the result's notes, cut to
    the finding's length)."""
    return finding_open(INSPECTION_KIND, actor=actor, item_id=item_id, reason=(reason or "").strip()[:REASON_MAX],
                        source_ref=source_ref)
