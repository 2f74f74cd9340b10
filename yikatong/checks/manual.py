"""Manual findings (人工登记疑点): a finding a person raises on one batch item, not a rule run — today from
a complaint or report of the public (投诉举报, disclosure.complaints_links), named by its tracking number.

It is an ordinary Finding of the built-in-but-never-run rule COMPLAINT (群众投诉举报, severity block): it shows
on the findings workbench and the batch page like any other, is disposed of the same way (confirm,
transfer as a clue, clear with four eyes), and while undecided on an active item it blocks the batch's
money-moving steps (checks.guards.checks_current, checks.selectors.blocking_findings). The rule is stored
disabled and without SQL, so no run executes it and no run closes its findings (findings_sql closes only
the findings of the rules it ran)."""
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core.refusals import invalid

from . import errors  # noqa: F401  (registers the refusal messages)
from .models import Finding, FindingState, Rule, Severity
from .services import DISPOSE_ROLES

MANUAL_RULE = "COMPLAINT"
# who may raise one: those who dispose of findings, and the township head who answers complaints
MANUAL_ROLES = DISPOSE_ROLES | {Role.TOWNSHIP_HEAD}
REASON_MAX = 250


@dataclass(frozen=True)
class ManualKind:
    """One kind of finding a person raises: its stored rule (never enabled, never run), who may raise it, and
    how the finding and its audit event are labelled."""

    rule: str
    name: str
    description: str
    roles: frozenset
    label: str  # the message's prefix, e.g. 群众反映
    source: str  # evidence["source"]
    action: str  # the audit action
    what: str  # the scope refusal's object


COMPLAINT_KIND = ManualKind(
    rule=MANUAL_RULE, name="群众投诉举报", roles=frozenset(MANUAL_ROLES), label="群众反映", source="complaint",
    action="checks.finding_open_manual", what="对该批次登记疑点",
    description="不是比对规则：由承办投诉举报的工作人员针对某条发放明细人工登记的疑点（注明受理编号和理由）。"
                "与其他阻断级疑点一样须处置后才能审批、支付；比对运行不会产生或消除此类疑点。")


def stored_rule(kind: ManualKind) -> Rule:
    """The stored rule of `kind` (created on first use; never enabled, never run)."""
    rule, _ = Rule.objects.get_or_create(code=kind.rule, defaults={
        "name": kind.name, "severity": Severity.BLOCK, "datasets": [], "sql": "", "key_columns": [],
        "message": "{reason}", "enabled": False, "description": kind.description})
    return rule


def manual_rule() -> Rule:
    return stored_rule(COMPLAINT_KIND)


def fingerprint(source_ref: str, item_id: int, rule: str = MANUAL_RULE) -> str:
    return hashlib.sha256(f"{rule}|{source_ref}|{item_id}".encode()).hexdigest()


def finding_open_manual(*, actor, item_id: int, reason: str, source_ref: str) -> Finding:
    """Open a blocking finding on batch item `item_id` for `source_ref` (e.g. a complaint's tracking number)."""
    return finding_open(COMPLAINT_KIND, actor=actor, item_id=item_id, reason=reason, source_ref=source_ref)


def finding_open(kind: ManualKind, *, actor, item_id: int, reason: str, source_ref: str) -> Finding:
    """Open a blocking finding of `kind` on batch item `item_id` for `source_ref`: the actor holds a role of
    kind.roles and sees the item's batch (rosters.scope, ScopeRefused otherwise); the item is active; one
    finding per rule, source and item (MANUAL_FINDING_EXISTS). One audit event (inside the caller's
    transaction when there is one)."""
    from yikatong.rosters import scope
    from yikatong.rosters.models import BatchItem

    reason, source_ref = (reason or "").strip(), (source_ref or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise invalid("MANUAL_FINDING_REASON_REQUIRED", limit=REASON_MAX)
    if not source_ref or len(source_ref) > 40:
        raise invalid("MANUAL_FINDING_SOURCE_REQUIRED")
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise scope.ScopeRefused("NOT_AUTHENTICATED")
    with transaction.atomic():
        item = BatchItem.objects.select_related("batch").select_for_update(of=("self",)).get(pk=item_id)
        answer = scope.refusal(actor, item.batch, kind.roles, what=kind.what, write=False)
        if answer is not None:
            raise answer
        if item.status != "active":
            raise invalid("MANUAL_FINDING_ITEM_NOT_ACTIVE", seq=item.seq, batch=item.batch.code)
        rule = stored_rule(kind)
        fp = fingerprint(source_ref, item.pk, kind.rule)
        if Finding.objects.filter(rule=rule, fingerprint=fp).exists():
            raise invalid("MANUAL_FINDING_EXISTS", seq=item.seq, batch=item.batch.code, source=source_ref)
        now = timezone.now()
        f = Finding.objects.create(
            rule=rule, fingerprint=fp, batch=item.batch, item=item, id_bidx=item.id_bidx, state=FindingState.OPEN,
            severity=rule.severity, message=f"{kind.label}（{source_ref}）：{reason}"[:300],
            evidence={"source": kind.source, "source_ref": source_ref, "reason": reason}, rule_version=rule.version,
            first_seen_at=now, last_seen_at=now)
        record(actor=actor, action=kind.action, obj=f, object_repr=f"{rule.code} #{f.pk}",
               after={"batch": item.batch.code, "seq": item.seq, "source_ref": source_ref, "reason": reason})
    return f
