"""The cross-check guards of the money-moving transitions (DESIGN §6.9, issue 12 point 2).

Both run the batch's incremental check synchronously, inside the transition's own transaction, on
the data as it is at that moment (checks.services.batch_checks_run, as the system): a batch whose check
never ran, whose check job is stuck "running" or whose items changed since its last run is checked
again there and then; no guard trusts an earlier run.

- `checks_run` (submit, resubmit: the roster goes to the department, no money moves yet) stores the
  findings with the submission and lets it pass, so the department can dispose of them in its review
  (refusing here would leave findings nobody may dispose of: the operator only edits rosters).
- `checks_current` (dept_approve, approve_reissue, finance_approve, pay) refuses
  (BLOCKING_FINDINGS_OPEN) while a blocking finding of the batch is not dealt with.

A refusal rolls the transition back, and with it whatever the inline run wrote: the message therefore
names the blocking items itself (row, masked ID, rule); a finding first found by the refused run is
stored by the next check of the batch: the caller of the transition calls `store_findings_after_refusal`
once the refused transaction is over."""

from yikatong.core.refusals import Problem, register_messages
from yikatong.rosters.guards import register

from .selectors import blocking_findings

register_messages({
    "BLOCKING_FINDINGS_OPEN": "批次 {batch} 按当前数据重新比对，还有 {count} 条阻断级疑点未处置，本步骤不能办理：{items}",
})

SHOWN = 5


def describe(findings, count: int) -> str:
    shown = []
    for f in findings.select_related("rule", "item").order_by("item_id", "rule_id", "pk")[:SHOWN]:
        where = f"第{f.item.seq}条 {f.item.id_masked}" if f.item is not None else "批次"
        shown.append(f"{where}（{f.rule.name}）")
    text = "、".join(shown)
    return text + (f" 等 {count} 条" if count > SHOWN else "")


def store_findings_after_refusal(batch_id: int) -> None:
    """After a BLOCKING_FINDINGS_OPEN refusal (the transition's transaction rolled back, and with it the
    findings its inline check wrote): check the batch again in a transaction of its own so the findings
    are stored and can be disposed of. Call it outside the refused transaction."""
    from .services import batch_checks_run

    batch_checks_run(actor=None, batch_id=batch_id)


@register("checks_run")
def checks_run(*, batch, **_):
    """Check the batch now and store its findings; never refuses (see the module docstring)."""
    from .services import batch_checks_run

    batch_checks_run(actor=None, batch_id=batch.pk)
    return None


@register("checks_current")
def checks_current(*, batch, **_):
    """None when the batch, checked now, has no blocking finding left; else BLOCKING_FINDINGS_OPEN."""
    from .services import batch_checks_run

    batch_checks_run(actor=None, batch_id=batch.pk)  # the system runs it: no role or scope check on the actor
    findings = blocking_findings(batch)
    count = findings.count()
    if not count:
        return None
    return Problem("BLOCKING_FINDINGS_OPEN", batch=batch.code, count=count, items=describe(findings, count))
