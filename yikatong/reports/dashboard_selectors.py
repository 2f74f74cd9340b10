"""The dashboard (监管看板): one read per role family, within the reader's scope, every figure with the url of
the list behind it. Money and card activation come from the monitoring-report figures (figures.collect) of the
month for the reader's region (a line department: its own batches; a township head: the township); batch
progress, late steps, findings and complaints count what the linked list pages show (the same selectors), so a
figure and its drill-down agree."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.checks.models import FindingState
from yikatong.checks.selectors import findings_for
from yikatong.disclosure import complaints_selectors
from yikatong.rosters import flows
from yikatong.rosters.models import BatchItem
from yikatong.rosters.scope import batches_for, scoped

from . import errors  # noqa: F401  (registers the refusal messages)
from . import figures
from yikatong.core.refusals import Forbidden

#: role families in order of precedence: (family, title, roles, panels)
FAMILIES = (
    ("finance", "财政资金监管看板", frozenset({Role.FINANCE_REVIEWER, Role.TREASURY}),
     ("money", "trend", "progress", "findings", "complaints", "cards")),
    ("department", "主管部门看板", frozenset({Role.DEPT_REVIEWER, Role.DEPT_HEAD}),
     ("money", "trend", "progress", "findings", "cards")),
    ("township", "乡镇看板", frozenset({Role.TOWNSHIP_HEAD}), ("money", "progress", "complaints", "cards")),
    ("supervisor", "监督检查看板", frozenset({Role.SUPERVISOR}), ("findings", "complaints", "cards", "money")),
)
TERMINAL = ("paid", "closed")
TREND_MONTHS = 6


def family_of(user) -> tuple | None:
    if not getattr(user, "is_authenticated", False) or user.region is None:
        return None
    return next((f for f in FAMILIES if user.has_role(*f[2])), None)


def may_read(user) -> bool:
    return family_of(user) is not None


def _url(name: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in ("", None)}
    return reverse(name) + ("?" + urlencode(params) if params else "")


def parse_period(period: str, today: dt.date) -> tuple[int, int]:
    year, _, month = (period or "").partition("-")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12 and 2000 <= int(year) <= today.year:
        return int(year), int(month)
    return today.year, today.month


def dashboard(user, *, period: str = "", today: dt.date | None = None) -> dict:
    family = family_of(user)
    if family is None:
        raise Forbidden("DASHBOARD_ROLE")
    today = today or timezone.localdate()
    year, month = parse_period(period, today)
    key, title, _, panels = family
    department_id = user.organization_id if key == "department" else None
    content = figures.collect(region=user.region, year=year, month=month, department_id=department_id)
    out = {"family": key, "title": title, "region": user.region.name, "period": f"{year}-{month:02d}",
           "panels": list(panels), "totals": _totals(content["totals"])}
    out.update(money_by_policy=_money(content["rows"], "policy_code", "policy", out["period"]),
               money_by_region=_money(content["rows"], "region_code", "region", out["period"]))
    out["trend"] = _trend(user, year, month) if "trend" in panels else []
    out["progress"] = _progress(user, today)
    out["findings"] = _findings(user) if "findings" in panels else []
    out["complaints"] = _complaints(user, today) if "complaints" in panels else None
    return out


def _totals(t: dict) -> dict:
    keys = ("approved_fen", "paid_fen", "failed_fen", "returned_fen", "paid_count", "failed_count", "cards",
            "cards_active", "findings_raised", "complaints", "complaints_on_time", "persons")
    out = {k: t.get(k, 0) for k in keys}
    out["card_rate"] = round(100 * out["cards_active"] / out["cards"], 1) if out["cards"] else None
    return out


def _money(rows: list[dict], code: str, name: str, period: str) -> list[dict]:
    merged: dict[str, dict] = {}
    for r in rows:
        m = merged.setdefault(r[code], {"code": r[code], "label": r[name] or r[code] or "（未指明）",
                                        "approved_fen": 0, "paid_fen": 0, "failed_fen": 0})
        for k in ("approved_fen", "paid_fen", "failed_fen"):
            m[k] += r[k]
    for m in merged.values():
        filt = {"policy": m["code"]} if code == "policy_code" else {"region": m["code"]}
        m["url"] = _url("batch_list", period=period, **filt)
    return sorted(merged.values(), key=lambda m: m["code"])


def _trend(user, year: int, month: int) -> list[dict]:
    """Approved amounts per monthly 发放期间 over the last months: the active items of the batches the reader
    sees in an approved state (as figures.collect counts approved_fen), one grouped query."""
    months = []
    for i in range(TREND_MONTHS - 1, -1, -1):
        y, m = divmod(year * 12 + month - 1 - i, 12)
        months.append(f"{y}-{m + 1:02d}")
    items = scoped(BatchItem.objects.filter(status="active", batch__period__in=months,
                                            batch__state__in=figures.APPROVED_STATES), user, "batch__")
    sums = dict(items.values("batch__period").annotate(s=Sum("amount_fen")).values_list("batch__period", "s")
                .order_by())
    return [{"period": p, "approved_fen": sums.get(p) or 0, "url": _url("batch_list", period=p)} for p in months]


def _progress(user, today: dt.date) -> list[dict]:
    """Batches per state, and how many of them are past the deadline of their current step."""
    rows = (batches_for(user).exclude(state__in=TERMINAL).values("state")
            .annotate(n=Count("id"), late=Count("id", filter=Q(due_date__lt=today))).order_by())
    labels = {code: getattr(st, "label", code) for code, st in flows.STATES.items()}
    return sorted(({"state": r["state"], "label": str(labels.get(r["state"], r["state"])), "count": r["n"],
                    "late": r["late"], "url": _url("batch_list", state=r["state"])} for r in rows),
                  key=lambda r: (-r["late"], r["state"]))


def _findings(user) -> list[dict]:
    rows = findings_for(user).values("rule__code", "rule__name", "state").annotate(n=Count("id")).order_by()
    labels = dict(FindingState.choices)
    return sorted(({"rule": r["rule__code"], "rule_name": r["rule__name"], "state": r["state"],
                    "state_label": str(labels.get(r["state"], r["state"])), "count": r["n"],
                    "url": _url("checks_findings", rule=r["rule__code"], state=r["state"])} for r in rows),
                  key=lambda r: (r["rule"], r["state"]))


def _complaints(user, today: dt.date) -> dict:
    rows = complaints_selectors.staff_list(user, today=today)
    s = complaints_selectors.summary(rows)
    return {"count": s.count, "answered": s.answered, "overdue": s.overdue, "average_days": s.average_days,
            "on_time": s.count - s.overdue, "url": _url("disclosure_complaints"),
            "overdue_url": _url("disclosure_complaints", overdue="1")}
