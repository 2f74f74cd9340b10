"""The fixed set of views every rule's SQL reads (DESIGN §5). They are common table expressions
put in front of the rule, not database views, so no schema object depends on other apps' tables
and the same text runs on SQLite, PostgreSQL (and DuckDB over extracts of the same columns).

  v_items      every active roster item, with its batch and policy (all data)
               item_id, batch_id, batch_code, batch_kind, parent_id, seq, name, id_bidx, is_org, person_id,
               village_id, household_no, account_bidx, account_holder, quantity, standard_fen, amount_fen,
               period, township, policy_code, policy_name, rate_fen, means_tested, age_min, age_max
  v_scope      the items being checked (one batch when a roster is submitted, everything in a sweep):
               v_items columns + period_start, latest_birth (born after it: younger than age_min at the start
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


def with_clause(scope: list[tuple], params: dict) -> str:
    """The WITH clause for `scope`; adds the scope values to `params`."""
    selects = []
    for n, (batch_id, start, latest, earliest) in enumerate(scope):
        params.update({f"sb{n}": batch_id, f"sp{n}": start, f"sl{n}": latest, f"se{n}": earliest})
        selects.append(f"SELECT %(sb{n})s AS batch_id, %(sp{n})s AS period_start, %(sl{n})s AS latest_birth, "
                       f"%(se{n})s AS earliest_birth")
    if not selects:  # nothing in scope: an empty table of the right shape
        params.update({"sb_": -1, "sp_": MIN_DATE})
        selects.append("SELECT %(sb_)s AS batch_id, %(sp_)s AS period_start, %(sp_)s AS latest_birth, "
                       "%(sp_)s AS earliest_birth")
    scope_batches = "v_scope_batches AS (\n  " + "\n  UNION ALL ".join(selects) + "\n)"
    scope_cte = """v_scope AS (
  SELECT v.*, s.period_start, s.latest_birth, s.earliest_birth
  FROM v_items v JOIN v_scope_batches s ON s.batch_id = v.batch_id
)"""
    params.setdefault("true", True)
    return "WITH " + ",\n".join([ITEMS, scope_batches, scope_cte, PERSONS, ACCOUNTS, REFERENCE]) + "\n"
