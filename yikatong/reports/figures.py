"""The figures of a monitoring report, filled from the data of the period: one aggregate query per figure
group (roster items, cards, payment lines, returned funds, findings, notices, complaints, quotas), grouped
in the database by policy and region; Python only merges the grouped rows (never one row per item).

What belongs to a month (YYYY-MM): the batches whose 发放期间 is that month, or the quarter or year ending
with it (2026Q4 and 2026 count in December), of the report's region (and the department's own batches for a
department report). Complaints count by the month they were filed in; card activation is read from the
register (the recipient's current account status); quota use is the year's county quotas as of building.
Amounts are integer fen."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from yikatong.checks.models import Finding, FindingState
from yikatong.disclosure.models import Complaint
from yikatong.funds.models import FundQuota
from yikatong.payments.models import FundReturn, PaymentOrderItem
from yikatong.policies.models import Policy
from yikatong.regions.models import Region
from yikatong.rosters.models import Batch, BatchItem, Notice

APPROVED_STATES = ("approved", "paying", "paid", "partly_failed", "closed")
CONFIRMED = (FindingState.CONFIRMED, FindingState.TRANSFERRED)
CLEARED = (FindingState.CLEARED, FindingState.CLOSED)

#: (key, Chinese heading) of the per policy × region table, in order; amounts end in _fen
COLUMNS = (
    ("persons", "人数"), ("households", "户数"), ("items", "明细笔数"), ("planned_fen", "名单金额(分)"),
    ("approved_fen", "审核通过金额(分)"), ("paid_count", "发放成功笔数"), ("paid_fen", "发放成功金额(分)"),
    ("failed_count", "发放失败笔数"), ("failed_fen", "发放失败金额(分)"), ("returned_fen", "失败资金退回(分)"),
    ("findings_raised", "疑点发现"), ("findings_confirmed", "疑点确认"), ("findings_cleared", "疑点排除/消除"),
    ("notices", "公示次数"), ("notices_on_time", "公示期满足要求"), ("complaints", "投诉举报咨询"),
    ("complaints_answered", "已答复"), ("complaints_on_time", "按期答复"), ("handling_hours", "答复用时合计(小时)"),
    ("cards", "有社保卡账户人次"), ("cards_active", "其中已激活"),
)
QUOTA_COLUMNS = (("received_fen", "指标金额(分)"), ("committed_fen", "已占用(分)"), ("paid_fen", "已支付(分)"))
KEYS = tuple(k for k, _ in COLUMNS)


def period_keys(year: int, month: int) -> list[str]:
    keys = [f"{year}-{month:02d}"]
    if month % 3 == 0:
        keys.append(f"{year}Q{month // 3}")
    if month == 12:
        keys.append(str(year))
    return keys


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, end


def period_batches(*, region: Region, year: int, month: int, department_id: int | None = None):
    qs = Batch.objects.filter(period__in=period_keys(year, month), region__code__startswith=region.prefix)
    return qs.filter(department_id=department_id) if department_id else qs


def _merge(rows: dict, grouped, policy: str, region: str) -> None:
    for g in grouped:
        key = (g.pop(policy), g.pop(region))
        target = rows[key]
        for name, value in g.items():
            target[name] = target.get(name, 0) + (value or 0)


def collect(*, region: Region, year: int, month: int, department_id: int | None = None,
            notice_min_working_days: int | None = None) -> dict:
    """The report's content (JSON-ready): rows per policy × region, totals, quota use."""
    batches = period_batches(region=region, year=year, month=month, department_id=department_id).values("pk")
    rows: dict[tuple, dict] = defaultdict(dict)
    P, R = "batch__policy_id", "batch__region_id"

    items = BatchItem.objects.filter(batch__in=batches, status="active")
    _merge(rows, items.values(P, R).annotate(
        items=Count("id"), persons=Count("id_bidx", distinct=True),
        households=Count("household_no", distinct=True, filter=~Q(household_no="")),
        planned_fen=Sum("amount_fen"), approved_fen=Sum("amount_fen", filter=Q(batch__state__in=APPROVED_STATES)),
    ).order_by(), P, R)
    _merge(rows, items.filter(person__accounts__is_current=True).values(P, R).annotate(
        cards=Count("id"), cards_active=Count("id", filter=Q(person__accounts__status="active")),
    ).order_by(), P, R)

    OP, OR = "order__batch__policy_id", "order__batch__region_id"
    lines = PaymentOrderItem.objects.filter(order__batch__in=batches).exclude(order__state="rejected")
    _merge(rows, lines.values(OP, OR).annotate(
        paid_count=Count("id", filter=Q(status="paid")), paid_fen=Sum("amount_fen", filter=Q(status="paid")),
        failed_count=Count("id", filter=Q(status="failed")), failed_fen=Sum("amount_fen", filter=Q(status="failed")),
    ).order_by(), OP, OR)
    _merge(rows, FundReturn.objects.filter(order__batch__in=batches).values(OP, OR).annotate(
        returned_fen=Sum("amount_fen")).order_by(), OP, OR)

    _merge(rows, Finding.objects.filter(batch__in=batches).values(P, R).annotate(
        findings_raised=Count("id"), findings_confirmed=Count("id", filter=Q(state__in=CONFIRMED)),
        findings_cleared=Count("id", filter=Q(state__in=CLEARED)),
    ).order_by(), P, R)
    on_time = Q(working_days__gte=notice_min_working_days) if notice_min_working_days else Q()
    _merge(rows, Notice.objects.filter(batch__in=batches).values(P, R).annotate(
        notices=Count("id"), notices_on_time=Count("id", filter=on_time)).order_by(), P, R)

    start, end = month_bounds(year, month)
    complaints = Complaint.objects.filter(filed_at__gte=start, filed_at__lt=end, region__code__startswith=region.prefix)
    if department_id:
        complaints = complaints.filter(Q(department_id=department_id) | Q(policy__department_id=department_id))
    answered = Q(answered_at__isnull=False)
    took = ExpressionWrapper(F("answered_at") - F("filed_at"), output_field=DurationField())
    grouped = complaints.annotate(rg=Coalesce("township_id", "region_id")).values("policy_id", "rg").annotate(
        complaints=Count("id"), complaints_answered=Count("id", filter=answered),
        complaints_on_time=Count("id", filter=answered & Q(answered_at__date__lte=F("due_on"))),
        handling=Sum(took, filter=answered),
    ).order_by()
    for g in grouped:
        spent = g.pop("handling")
        g["handling_hours"] = round(spent.total_seconds() / 3600, 1) if spent else 0
    _merge(rows, grouped, "policy_id", "rg")

    quotas = FundQuota.objects.filter(region=region, year=year)
    if department_id:
        quotas = quotas.filter(policy__department_id=department_id)
    quota_rows = list(quotas.values("policy_id").annotate(
        received_fen=Sum("received_fen"), committed_fen=Sum("committed_fen"), paid_fen=Sum("paid_fen")).order_by())
    return _content(rows, quota_rows)


def _content(rows: dict, quota_rows: list[dict]) -> dict:
    policy_ids = {p for p, _ in rows} | {q["policy_id"] for q in quota_rows}
    policies = {p.pk: (p.code, p.name) for p in Policy.objects.filter(pk__in={p for p in policy_ids if p})}
    regions = dict(Region.objects.filter(code__in={r for _, r in rows if r}).values_list("code", "name"))
    out = []
    for (policy_id, region_code), figures in rows.items():
        code, name = policies.get(policy_id, ("", "（未指明项目）"))
        out.append({"policy_code": code, "policy": name, "region_code": region_code or "",
                    "region": regions.get(region_code, ""), **{k: figures.get(k, 0) for k in KEYS}})
    out.sort(key=lambda r: (r["policy_code"], r["region_code"]))
    quotas = sorted(({"policy_code": policies.get(q["policy_id"], ("", ""))[0],
                      "policy": policies.get(q["policy_id"], ("", ""))[1],
                      **{k: q[k] or 0 for k, _ in QUOTA_COLUMNS}} for q in quota_rows), key=lambda q: q["policy_code"])
    return {"columns": [list(c) for c in COLUMNS], "rows": out, "totals": _totals(out, KEYS),
            "quota_columns": [list(c) for c in QUOTA_COLUMNS], "quotas": quotas,
            "quota_totals": _totals(quotas, [k for k, _ in QUOTA_COLUMNS])}


def _totals(rows: list[dict], keys) -> dict:
    totals = {k: sum(r[k] for r in rows) for k in keys}
    if "handling_hours" in totals:
        totals["handling_hours"] = round(totals["handling_hours"], 1)
    return totals
