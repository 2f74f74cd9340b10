"""漏发 detection (issue 16 §5a): people paid or approved last period who are missing from this period's
roster of the same policy and township, the register not marking them dead, moved out or otherwise
ended (registry.PersonStatus other than 正常).

Last period follows the policy's cycle (policies.choices.Frequency: 2026-11 → 2026-10, 2026Q1 → 2025Q4,
2026 → 2025; one-off policies have none). Last period counts normal batches the finance bureau approved
or later (approved, paying, paid, partly failed, closed), their active items. This period counts every
batch of the policy in any state, so a roster still being drawn up is compared too; only townships that
have one are compared (a township that has not started is not a list of omissions). A person present in
this period's batch of another township (moved) is not missing. Scope: rosters.scope over last period's
batches, for the READERS roles (a station operator its own batches, a department its department's)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from yikatong.accounts.roles import Role
from yikatong.core.refusals import Forbidden
from yikatong.policies.choices import Frequency
from yikatong.policies.standard import check_period
from yikatong.registry.choices import PersonStatus
from yikatong.registry.models import Person

from . import errors  # noqa: F401  (registers the refusal messages)
from . import scope
from .errors import RosterError
from .models import Batch, BatchItem, BatchKind, BatchState
from .models.item import ItemStatus

READERS = frozenset({Role.DEPT_REVIEWER, Role.DEPT_HEAD, Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_FINANCE,
                     Role.FINANCE_REVIEWER, Role.SUPERVISOR})
#: last period's batches that count: approved by finance or further along
SETTLED = (BatchState.APPROVED, BatchState.PAYING, BatchState.PAID, BatchState.PARTLY_FAILED, BatchState.CLOSED)
NOT_IN_ROSTER = "本期名册中没有此人"
REMOVED = "已从本期名册剔除"

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def previous_period(frequency: str, period: str) -> str:
    """The period before `period` in the policy's cycle; refuses a one-off policy (no cycle)."""
    if frequency == Frequency.MONTHLY and (m := _MONTH.match(period)):
        year, month = int(m.group(1)), int(m.group(2))
        return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    if frequency == Frequency.QUARTERLY and (m := _QUARTER.match(period)):
        year, q = int(m.group(1)), int(m.group(2))
        return f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"
    if frequency == Frequency.YEARLY and period.isdigit():
        return str(int(period) - 1)
    raise RosterError("MISSING_NO_CYCLE", period=period)


@dataclass(frozen=True)
class Comparison:
    policy_code: str
    policy_name: str
    period: str
    previous: str
    rows: QuerySet  # values() rows: see ROW_FIELDS
    townships_compared: int
    townships_without_batch: int


ROW_FIELDS = ("id", "name", "id_masked", "village_id", "village__name", "household_no", "amount_fen",
              "batch__code", "batch__region_id", "batch__region__name", "removed_now")


def _policy(actor, code: str):
    batch = (scope.batches_for(actor, roles=READERS).filter(policy__code=code).select_related("policy")
             .order_by("-created_at").first())
    if batch is None:
        raise RosterError("MISSING_POLICY_UNKNOWN", policy=code)
    return batch.policy


def missing(actor, *, policy_code: str, period: str, village: str = "") -> Comparison:
    """The comparison for the actor's scope: last period's people missing now, ordered by village and name."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*READERS):
        raise Forbidden("MISSING_ROLE_NOT_ALLOWED")
    policy_code, period = (policy_code or "").strip(), (period or "").strip()
    if not policy_code or not period:
        raise RosterError("MISSING_INPUT_REQUIRED")
    policy = _policy(actor, policy_code)
    if policy.frequency == Frequency.ONE_OFF:
        raise RosterError("MISSING_NO_CYCLE", period=period)
    check_period(policy, period)  # PERIOD_FORMAT_INVALID / PERIOD_FREQUENCY_MISMATCH
    previous = previous_period(policy.frequency, period)
    same_policy = Batch.objects.filter(policy__code=policy_code)
    last = scope.scoped(same_policy.filter(period=previous, kind=BatchKind.NORMAL, state__in=SETTLED), actor,
                        roles=READERS)
    current = same_policy.filter(period=period)
    township_has_current = Exists(current.filter(region_id=OuterRef("region_id")))
    compared = last.filter(township_has_current)
    now_items = BatchItem.objects.filter(batch__in=current, id_bidx=OuterRef("id_bidx"))
    ended = Person.objects.filter(id_bidx=OuterRef("id_bidx")).exclude(status=PersonStatus.NORMAL)
    removed_reason = Subquery(now_items.filter(status=ItemStatus.REMOVED, batch__region_id=OuterRef("batch__region_id"))
                              .order_by("-pk").values("removed_reason")[:1])
    rows = (BatchItem.objects.filter(batch__in=compared, status=ItemStatus.ACTIVE)
            .exclude(Exists(now_items.filter(status=ItemStatus.ACTIVE)))
            .exclude(Exists(ended))
            .annotate(removed_now=removed_reason))
    if village:
        rows = rows.filter(village_id__startswith=village)
    rows = rows.order_by("village_id", "name", "pk").values(*ROW_FIELDS)
    townships = set(last.values_list("region_id", flat=True))
    compared_townships = set(compared.values_list("region_id", flat=True))
    return Comparison(policy_code, policy.name, period, previous, rows, len(compared_townships),
                      len(townships - compared_townships))


def reason(row: dict) -> str:
    """The reason guess shown for a row."""
    if row["removed_now"] is not None:
        return f"{REMOVED}：{row['removed_now'] or '未填写原因'}"
    return NOT_IN_ROSTER


HEADERS = ("乡镇", "村(社区)", "姓名", "证件号码(脱敏)", "户号", "上期金额(元)", "上期批次", "可能原因")


def yuan(fen: int) -> str:
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def export_rows(comparison: Comparison):
    """Rows of the xlsx/CSV export (masked ID numbers only), streamed from the database."""
    for r in comparison.rows.iterator(chunk_size=2000):
        yield (r["batch__region__name"], r["village__name"] or "", r["name"], r["id_masked"], r["household_no"],
               yuan(r["amount_fen"]), r["batch__code"], reason(r))
