"""The fixed set of views every rule's SQL reads (DESIGN §5). They are common table expressions
put in front of the rule, not database views, so no schema object depends on other apps' tables
and the same text runs on SQLite, PostgreSQL (and DuckDB over extracts of the same columns).

  v_items      every active roster item, with its batch and policy (all data)
               item_id, batch_id, batch_code, batch_kind, parent_id, seq, name, id_bidx, is_org, person_id,
               village_id, household_no, account_bidx, account_holder, quantity, standard_fen, amount_fen,
               period, township, policy_code, policy_name, rate_fen, means_tested, age_min, age_max,
               phone_bidx ('' when no phone), id_valid / account_valid (the ID number or USCC, the account number
               passed validation when the item was written; NULL: not known), id_birth_date (birth date read
               from a resident ID number, NULL for organisations), unit (the policy's unit: person, household…),
               residence_required, township_prefix (the code prefix of the batch's region subtree)
  v_scope      the items being checked (one batch when a roster is submitted, everything in a sweep):
               v_items joined with the scope table (load_scope: one row per batch in scope, a temporary
               table of the connection), with period_start, latest_birth (born after it: younger than age_min at the start
               of the period), earliest_birth (born on or before it: older than age_max)
  v_persons    register persons: person_id, id_bidx, name, birth_date, household_id, relation (与户主关系, '户主' for
               the head), status, status_since, village_id
  v_accounts   register accounts: account_id, person_id, account_bidx, holder_name, status, is_current
  v_reference  rows of the current reference snapshots (共享比对数据): record_id, dataset, source_agency,
               id_bidx, related_id_bidx, account_bidx, event_date, name, status (a normalised status code:
               the card status of ssc_status rows, registry.choices.AccountStatus; '' otherwise)
  v_reissues   roster items that reissue (补发) a failed payment line: item_id, origin_id (the roster item first
               approved for that person and period, payments.PaymentOrderItem.origin, the same along a chain)
  v_claims     the (policy, period, person) slots held by approved, in-flight or paid items
               (payments.PaymentClaim): origin_id, item_id (the current holder), policy_id, period, id_bidx
  v_periods    one row per period found in the batches: period, period_kind (month / quarter / year), period_start,
               period_end (first day after it), prev_start (period_start of the previous period of the same kind:
               the month, quarter or year before)
  v_exclusive  pairs of mutually exclusive policy codes (Policy.exclusive_codes, both directions):
               policy_code, other_code

Parameters are named (%(name)s): `true` is the boolean true; rule parameters are passed by name.
"""
import datetime as dt
import re

ITEMS = """v_items AS (
  SELECT i.id AS item_id, i.batch_id, b.code AS batch_code, b.kind AS batch_kind, b.parent_id, i.seq, i.name,
         i.id_bidx, i.is_org, i.person_id, i.village_id, i.household_no, i.account_bidx, i.account_holder,
         i.quantity, i.standard_fen, i.amount_fen, b.period, b.region_id AS township, p.code AS policy_code,
         p.name AS policy_name, p.rate_fen, p.means_tested, p.age_min, p.age_max, i.phone_bidx, i.id_valid,
         i.account_valid, i.birth_date AS id_birth_date, p.unit, p.residence_required,
         SUBSTR(b.region_id, 1, CASE rg.level WHEN 1 THEN 2 WHEN 2 THEN 4 WHEN 3 THEN 6 WHEN 4 THEN 9 ELSE 12 END)
           AS township_prefix
  FROM rosters_batchitem i
  JOIN rosters_batch b ON b.id = i.batch_id
  JOIN policies_policy p ON p.id = b.policy_id
  JOIN regions_region rg ON rg.code = b.region_id
  WHERE i.status = 'active'
)"""

PERSONS = """v_persons AS (
  SELECT id AS person_id, id_bidx, name, birth_date, household_id, relation, status, status_since, village_id
  FROM registry_person
)"""

ACCOUNTS = """v_accounts AS (
  SELECT id AS account_id, person_id, number_bidx AS account_bidx, holder_name, status, is_current
  FROM registry_bankaccount
)"""

REFERENCE = """v_reference AS (
  SELECT r.id AS record_id, s.dataset, s.source_agency, r.id_bidx, r.related_id_bidx, r.account_bidx,
         r.event_date, r.name, r.status
  FROM registry_referencerecord r
  JOIN registry_referencesnapshot s ON s.id = r.snapshot_id
  WHERE s.is_current = %(true)s
)"""

REISSUES = """v_reissues AS (
  SELECT r.new_item_id AS item_id, l.origin_id
  FROM payments_reissue r
  JOIN payments_paymentorderitem l ON l.id = r.source_id
)"""

CLAIMS = """v_claims AS (
  SELECT origin_id, item_id, policy_id, period, id_bidx FROM payments_paymentclaim
)"""

MIN_DATE, MAX_DATE = dt.date(1, 1, 1), dt.date(9999, 12, 31)
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2})|[Qq]([1-4]))?$")


def period_start(period: str) -> dt.date:
    m = _PERIOD.match(str(period).strip())
    if not m:
        raise ValueError(f"发放期间“{period}”格式不对")
    year, month, quarter = int(m.group(1)), m.group(2), m.group(3)
    if month:
        return dt.date(year, int(month), 1)
    if quarter:
        return dt.date(year, 3 * int(quarter) - 2, 1)
    return dt.date(year, 1, 1)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def scope_rows(batches) -> list[tuple[int, dt.date, dt.date, dt.date]]:
    """(batch_id, period_start, latest_birth, earliest_birth) for each batch in scope."""
    out = []
    for b in batches:
        start = period_start(b.period)
        p = b.policy
        latest = _years_before(start, p.age_min) if p.age_min is not None else MAX_DATE
        earliest = _years_before(start, p.age_max + 1) if p.age_max is not None else MIN_DATE
        out.append((b.pk, start, latest, earliest))
    return out


SCOPE_TABLE = "ykt_check_scope"
SCOPE_COLUMNS = "batch_id BIGINT, period_start DATE, latest_birth DATE, earliest_birth DATE"
SCOPE_CHUNK = 500  # rows per INSERT: 2,000 parameters, under every backend's limit

SCOPE = f"""v_scope AS (
  SELECT v.*, s.period_start, s.latest_birth, s.earliest_birth
  FROM v_items v JOIN {SCOPE_TABLE} s ON s.batch_id = v.batch_id
)"""


def load_scope(cursor, scope: list[tuple], vendor: str) -> None:
    """Replace the rows of the scope table with `scope` (scope_rows) on a DB-API cursor: Django's
    (`vendor` = connection.vendor, %s placeholders) or a DuckDB connection (`vendor` "duckdb", ?).
    The table is a temporary table of the connection, so concurrent runs never see each other's
    scope; it is filled once per run instead of one SELECT per batch in every rule's statement."""
    mark = "?" if vendor == "duckdb" else "%s"
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {SCOPE_TABLE} ({SCOPE_COLUMNS})")
    cursor.execute(f"DELETE FROM {SCOPE_TABLE}")
    row = f"({mark}, {mark}, {mark}, {mark})"
    for n in range(0, len(scope), SCOPE_CHUNK):
        chunk = scope[n:n + SCOPE_CHUNK]
        cursor.execute(f"INSERT INTO {SCOPE_TABLE} VALUES " + ", ".join([row] * len(chunk)),
                       [v for r in chunk for v in r])
    if vendor == "postgresql":  # temporary tables are never analysed by autovacuum: give the planner the row count
        cursor.execute(f"ANALYZE {SCOPE_TABLE}")


def _inline(cte: str) -> str:
    """`name AS NOT MATERIALIZED (…)`: PostgreSQL would otherwise compute a view read twice (v_items:
    by v_scope and by the rule) in full before filtering it, 10^7 rows for a 10^4-item roster. The
    hint is understood by SQLite (≥ 3.35), PostgreSQL (≥ 12) and DuckDB alike."""
    return cte.replace(" AS (", " AS NOT MATERIALIZED (", 1)


def with_clause(params: dict) -> str:
    """The WITH clause of the views; v_scope reads the scope table (load_scope first)."""
    params.setdefault("true", True)
    return "WITH " + ",\n".join(_inline(c) for c in [ITEMS, SCOPE, PERSONS, ACCOUNTS, REFERENCE,
                                                          REISSUES, CLAIMS, *lookup_ctes(params)]) + "\n"


# ---- lookup views built from the data, as VALUES (identical text on every engine) ----------------


def _period_key(period: str) -> tuple[str, int, int] | None:
    """(kind, year, number in the year) of a period string, None if it does not parse."""
    m = _PERIOD.match(str(period).strip())
    if not m:
        return None
    year, month, quarter = int(m.group(1)), m.group(2), m.group(3)
    if month:
        return ("month", year, int(month)) if 1 <= int(month) <= 12 else None
    if quarter:
        return "quarter", year, int(quarter)
    return "year", year, 1


def _key_start(kind: str, year: int, n: int) -> dt.date:
    return dt.date(year, n if kind == "month" else 3 * n - 2 if kind == "quarter" else 1, 1)


def _shift(kind: str, year: int, n: int, step: int) -> tuple[int, int]:
    per_year = {"month": 12, "quarter": 4, "year": 1}[kind]
    index = year * per_year + (n - 1) + step
    return index // per_year, index % per_year + 1


def period_row(period: str) -> tuple[str, str, dt.date, dt.date, dt.date] | None:
    """(period, kind, start, end (exclusive), start of the previous period of the same kind).
    The previous period of 2026-01 is 2025-12, of 2026Q1 2025Q4, of 2026 2025."""
    key = _period_key(period)
    if key is None:
        return None
    kind, year, n = key
    return (period, kind, _key_start(kind, year, n), _key_start(kind, *_shift(kind, year, n, 1)),
            _key_start(kind, *_shift(kind, year, n, -1)))


def _values(name: str, columns: list[str], rows: list[tuple], params: dict, tag: str, empty: tuple) -> str:
    selects = []
    for n, row in enumerate(rows):
        params.update({f"{tag}{n}_{c}": v for c, v in enumerate(row)})
        selects.append("SELECT " + ", ".join(f"%({tag}{n}_{c})s AS {col}" for c, col in enumerate(columns)))
    if not selects:
        params.update({f"{tag}_{c}": v for c, v in enumerate(empty)})
        selects.append("SELECT " + ", ".join(f"%({tag}_{c})s AS {col}" for c, col in enumerate(columns))
                       + " WHERE 1 = 0")
    return f"{name} AS (\n  " + "\n  UNION ALL ".join(selects) + "\n)"


def lookup_ctes(params: dict) -> list[str]:
    """v_periods and v_exclusive, from the periods of the batches and the policies' exclusive codes."""
    from yikatong.policies.models import Policy
    from yikatong.rosters.models import Batch

    periods = sorted(set(Batch.objects.order_by().values_list("period", flat=True).distinct()))
    period_rows = [r for r in map(period_row, periods) if r is not None]
    pairs = set()
    for code, exclusive in Policy.objects.order_by().values_list("code", "exclusive_codes"):
        for other in exclusive or []:
            if other and str(other) != code:
                pairs |= {(code, str(other)), (str(other), code)}
    return [
        _values("v_periods", ["period", "period_kind", "period_start", "period_end", "prev_start"], period_rows,
                params, "vp", ("", "", MIN_DATE, MIN_DATE, MIN_DATE)),
        _values("v_exclusive", ["policy_code", "other_code"], sorted(pairs), params, "vx", ("", "")),
    ]
