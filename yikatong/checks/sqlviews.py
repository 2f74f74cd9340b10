"""The fixed set of views every rule's SQL reads (DESIGN §5). They are common table expressions
put in front of the rule, not database views, so no schema object depends on other apps' tables
and the same text runs on SQLite, PostgreSQL (and DuckDB over extracts of the same columns).

  v_items      every active roster item, with its batch and policy (all data)
               item_id, batch_id, batch_code, batch_kind, parent_id, seq, name, id_bidx, is_org, person_id,
               village_id, household_no, account_bidx, account_holder, quantity, standard_fen, amount_fen,
               period, township, policy_code, policy_name, rate_fen, means_tested, age_min, age_max
  v_scope      the items being checked (one batch when a roster is submitted, everything in a sweep):
               v_items joined with the scope table (load_scope: one row per batch in scope, a temporary
               table of the connection), with period_start, latest_birth (born after it: younger than age_min at the start
               of the period), earliest_birth (born on or before it: older than age_max)
  v_persons    register persons: person_id, id_bidx, name, birth_date, household_id, status, status_since, village_id
  v_accounts   register accounts: account_id, person_id, account_bidx, holder_name, status, is_current
  v_reference  rows of the current reference snapshots (共享比对数据): record_id, dataset, source_agency,
               id_bidx, related_id_bidx, account_bidx, event_date, name

Parameters are named (%(name)s): `true` is the boolean true; rule parameters are passed by name.
"""
import datetime as dt
import re

ITEMS = """v_items AS (
  SELECT i.id AS item_id, i.batch_id, b.code AS batch_code, b.kind AS batch_kind, b.parent_id, i.seq, i.name,
         i.id_bidx, i.is_org, i.person_id, i.village_id, i.household_no, i.account_bidx, i.account_holder,
         i.quantity, i.standard_fen, i.amount_fen, b.period, b.region_id AS township, p.code AS policy_code,
         p.name AS policy_name, p.rate_fen, p.means_tested, p.age_min, p.age_max
  FROM rosters_batchitem i
  JOIN rosters_batch b ON b.id = i.batch_id
  JOIN policies_policy p ON p.id = b.policy_id
  WHERE i.status = 'active'
)"""

PERSONS = """v_persons AS (
  SELECT id AS person_id, id_bidx, name, birth_date, household_id, status, status_since, village_id
  FROM registry_person
)"""

ACCOUNTS = """v_accounts AS (
  SELECT id AS account_id, person_id, number_bidx AS account_bidx, holder_name, status, is_current
  FROM registry_bankaccount
)"""

REFERENCE = """v_reference AS (
  SELECT r.id AS record_id, s.dataset, s.source_agency, r.id_bidx, r.related_id_bidx, r.account_bidx,
         r.event_date, r.name
  FROM registry_referencerecord r
  JOIN registry_referencesnapshot s ON s.id = r.snapshot_id
  WHERE s.is_current = %(true)s
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
    return "WITH " + ",\n".join(_inline(c) for c in [ITEMS, SCOPE, PERSONS, ACCOUNTS, REFERENCE]) + "\n"
