"""Runs a rule's SQL on the primary database and turns its rows into hits."""
import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

from yikatong.core.money import Money
from yikatong.registry.choices import AccountStatus, DatasetKind

from . import sqlviews

LABELS = {
    "source": {"register": "底册登记", "reference": "共享死亡数据"},
    "status_source": {"register": "底册登记", "reference": "人社社保卡状态数据"},
    "account_status": dict(AccountStatus.choices),
    "dataset": dict(DatasetKind.choices),
    "mismatch": {"holder": "与对象姓名不一致", "owner": "底册中该账户属于他人"},
    "residence": {"unregistered": "底册中没有该对象", "elsewhere": "底册登记的村（社区）不属于本乡镇"},
}


@dataclass
class Hit:
    fingerprint: str
    item_id: int | None
    batch_id: int | None
    id_bidx: str
    message: str
    evidence: dict


def jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, (Decimal, float)):
        d = Decimal(str(value)).normalize()
        return int(d) if d == d.to_integral_value() else str(d)
    if isinstance(value, bool):
        return value
    return value


class _Blank(dict):
    def __missing__(self, key):
        return ""


def yuan(fen) -> str:
    """An amount in fen as shown in a finding: yuan with two decimals and thousands separators ("1,234.50")."""
    return Money(int(Decimal(str(fen)))).format().replace("¥", "", 1)


def fingerprint(rule_code: str, row: dict, key: tuple | list) -> str:
    raw = "|".join([rule_code] + [str(row.get(k, "")) for k in key])
    return hashlib.sha256(raw.encode()).hexdigest()


def to_hit(rule, row: dict) -> Hit:
    row = {k: jsonable(v) for k, v in row.items()}
    # SQLite returns a date column read through a view as text: normalise both to YYYY-MM-DD
    for k, v in list(row.items()):
        if isinstance(v, str) and len(v) >= 10 and k.endswith("_date"):
            row[k] = v[:10]
    shown = _Blank({k: ("—" if v is None else v) for k, v in row.items()})
    for col, labels in LABELS.items():
        if col in row:
            shown[f"{col}_label"] = labels.get(row[col], row[col] or "")
    for col, value in row.items():  # amounts are shown in yuan, never in fen: {amount_fen} -> {amount_yuan}
        if col.endswith("_fen") and value is not None:
            shown[f"{col[:-4]}_yuan"] = yuan(value)
    evidence = {k: v for k, v in row.items() if k not in ("id_bidx",) and not k.endswith("_bidx")}
    return Hit(
        fingerprint=fingerprint(rule.code, row, rule.key_columns),
        item_id=row.get("item_id"), batch_id=row.get("batch_id"), id_bidx=row.get("id_bidx") or "",
        message=rule.message.format_map(shown)[:300], evidence=evidence,
    )


def rule_params(rule) -> dict:
    from .rules import BY_CODE

    builtin = BY_CODE.get(rule.code)
    params = dict(builtin.params) if builtin else {}
    params.update(rule.params or {})
    return params


def load_scope(scope: list[tuple]) -> None:
    """Fill the scope table of this connection (sqlviews.load_scope) once for several run_rule calls."""
    with connection.cursor() as cur:
        sqlviews.load_scope(cur, scope, connection.vendor)


def to_hits(rule, cols: list[str], rows) -> list[Hit]:
    """Hits of the result rows, the first of each fingerprint kept."""
    hits, seen = [], set()
    for r in rows:
        hit = to_hit(rule, dict(zip(cols, r)))
        if hit.fingerprint not in seen:
            seen.add(hit.fingerprint)
            hits.append(hit)
    return hits


def _execute(rule, scope: list[tuple] | None, params: dict | None, scope_loaded: bool) -> tuple[list[str], list]:
    if not scope_loaded:
        load_scope(scope)
    params = {**rule_params(rule), **(params or {})}
    sql = sqlviews.with_clause(params) + "SELECT * FROM (\n" + rule.sql + "\n) hits ORDER BY item_id"
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # the costs of a rule over 10^7 items trigger JIT compilation (≈ 1.7 s a statement), which
            # an index-driven roster check never earns back
            cur.execute("SET LOCAL jit = off")
            # a rule joining two views reads ~10 relations: above the default limits (8) the planner stops
            # reordering joins and seq-scans 10^7 items instead of probing the indexes from the scope
            cur.execute("SET LOCAL join_collapse_limit = 20")
            cur.execute("SET LOCAL from_collapse_limit = 20")
        cur.execute(sql, params)
        cols = [c[0] for c in cur.description]
        return cols, cur.fetchall()


def rule_rows(rule, scope: list[tuple] | None, params: dict | None = None, *, scope_loaded: bool = False) -> list[dict]:
    """The rows `rule`'s SQL returns over the batches in `scope` (sqlviews.scope_rows); `params`
    (e.g. of a region's setting) override the rule's."""
    cols, rows = _execute(rule, scope, params, scope_loaded)
    return [dict(zip(cols, r)) for r in rows]


def run_rule(rule, scope: list[tuple] | None, params: dict | None = None, *, scope_loaded: bool = False) -> list[Hit]:
    """The hits of `rule` over the batches in `scope` (sqlviews.scope_rows), best first; `params`
    (e.g. of a region's setting) override the rule's. With `scope_loaded` the scope table already
    holds them (load_scope) and `scope` is not read."""
    cols, rows = _execute(rule, scope, params, scope_loaded)
    return to_hits(rule, cols, rows)
