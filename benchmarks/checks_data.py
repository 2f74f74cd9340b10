"""Province-scale data for bench_checks.py, generated set-based in PostgreSQL (INSERT … SELECT
generate_series), on top of `yikatong demo` (county, townships, villages, users, policies).

Persons p = 1..NP (ids offset past the demo's); blind indexes are synthetic 64-hex strings,
bidx(tag, p) = md5(tag||p) || md5(p||tag), the same in every table. Beneficiary ranges:
  A  14-MZ-02 (means-tested, monthly, 780 yuan)         p in [1, NA]
  B  14-RS-01 (age_min 60, monthly, 163 yuan)            p in (NA, NA+NB]
  C  14-MZ-05 (age_max 17, monthly, 1400 yuan)           p in (NA+NB, NBEN]
  D  14-CL-01 (means-tested): the incremental roster, 10,000 items, 2026-12, p in (NBEN, NBEN+ND]
A, B and C are paid every month of 2024-01..2026-12, one batch per policy, month and township.
Planted anomalies (about 1% of the items end up with a finding):
  duplicate payment   A, p % 2000 = 7: a second item in the next township's batch
  shared account      A, p % 1000 = 3: paid into the account of p+5 (another household)
  deceased            register: p % 1000 = 11 dead since 2025-01-01; reference deaths: 1 in 200
                      records is a beneficiary who died 2025-07-01 (the others died 2020-01-01, outside)
  amount              (p + month) % 1000 = 5: 10 yuan above the standard
  age                 B and C, p % 1000 = 9: born 1990-05-05
  account inactive    p % 1000 = 21: the account is frozen
  state-paid / cadres / relatives / vehicles / real estate / business: 1 in 400 records is a beneficiary
During the load foreign-key triggers are off (session_replication_role = replica) and the secondary
indexes of the big tables are dropped and rebuilt afterwards (their definitions read from pg_indexes).
"""
from __future__ import annotations

import time

BIG_TABLES = ("registry_person", "registry_bankaccount", "registry_household", "registry_referencerecord",
              "rosters_batchitem")
MONTHS = 36
FIRST_YEAR = 2024


def sizes(scale: float) -> dict:
    np_ = max(20_000, int(2_000_000 * scale))
    na, nb, nc = int(150_000 * scale), int(100_000 * scale), int(27_778 * scale)
    return {
        "persons": np_, "na": max(na, 1000), "nb": max(nb, 600), "nc": max(nc, 200), "nd": 10_000,
        "deaths": int(100_000 * scale), "state_paid": int(40_000 * scale), "cadres": int(20_000 * scale),
        "relatives": int(60_000 * scale), "vehicles": int(200_000 * scale), "real_estate": int(200_000 * scale),
        "business": int(200_000 * scale),
    }


def _ref_person(r: str, stride: int, off: int, every: int, n: dict) -> str:
    """Person number of reference record r: 1 in `every` records is a beneficiary (ranges A..D),
    the others are people of the register who receive nothing."""
    nben = n["na"] + n["nb"] + n["nc"] + n["nd"]
    rest = n["persons"] - nben
    return (f"(CASE WHEN {r} % {every} = 0 THEN ({r} * 7 + {off}) % {nben} + 1 "
            f"ELSE {nben} + ({r} * {stride} + {off}) % {rest} + 1 END)")


def generate(conn, scale: float, log=print) -> dict:
    """Fill the database (migrated, `yikatong demo` loaded) at `scale`; returns the sizes and timings."""
    n = sizes(scale)
    na, nb, nc, nd = n["na"], n["nb"], n["nc"], n["nd"]
    nben = na + nb + nc
    cur = conn.cursor()
    started = time.monotonic()
    q = lambda sql, *a: cur.execute(sql, a or None)  # noqa: E731
    q("SET session_replication_role = replica")
    q("SET maintenance_work_mem = '1GB'")
    q("CREATE OR REPLACE FUNCTION bench_bidx(t text, p bigint) RETURNS text IMMUTABLE LANGUAGE sql "
      "AS $$ SELECT md5(t || p::text) || md5(p::text || t) $$")
    # villages with their township number (0..T-1)
    q("DROP TABLE IF EXISTS bench_village")
    q("""CREATE TABLE bench_village AS
         SELECT (row_number() OVER (ORDER BY v.code) - 1)::int AS idx, v.code, v.parent_id AS town,
                (dense_rank() OVER (ORDER BY v.parent_id) - 1)::int AS town_idx
         FROM regions_region v WHERE v.level = 5""")
    cur.execute("SELECT count(*), count(DISTINCT town) FROM bench_village")
    nv, nt = cur.fetchone()
    q("DROP TABLE IF EXISTS bench_policy")
    q("""CREATE TABLE bench_policy AS
         SELECT k, (SELECT id FROM policies_policy WHERE code = c ORDER BY id DESC LIMIT 1) AS id, c AS code,
                (SELECT department_id FROM policies_policy WHERE code = c ORDER BY id DESC LIMIT 1) AS dept,
                rate, lo, hi
         FROM (VALUES (0, '14-MZ-02', 78000, 1::bigint, %s::bigint), (1, '14-RS-01', 16300, %s, %s),
                      (2, '14-MZ-05', 140000, %s, %s), (3, '14-CL-01', 50000, %s, %s)) AS t(k, c, rate, lo, hi)""",
      na, na + 1, na + nb, na + nb + 1, nben, nben + 1, nben + nd)
    cur.execute("SELECT coalesce(max(id), 0) FROM registry_person")
    pbase = cur.fetchone()[0]
    cur.execute("SELECT coalesce(max(id), 0) FROM registry_household")
    hbase = cur.fetchone()[0]
    cur.execute("SELECT id FROM accounts_user WHERE username = 'zhan'")
    user = cur.fetchone()[0]
    # drop the secondary indexes of the big tables (rebuilt at the end)
    cur.execute("""SELECT i.indexname, i.indexdef, c.conname, i.tablename FROM pg_indexes i
                   LEFT JOIN pg_constraint c ON c.conname = i.indexname
                   WHERE i.tablename = ANY(%s) AND i.indexname NOT LIKE '%%_pkey'""", [list(BIG_TABLES)])
    indexes = cur.fetchall()
    for name, _, con, table in indexes:
        q(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"' if con else f'DROP INDEX "{name}"')
    timings = {}

    def step(label, sql, *args):
        t = time.monotonic()
        cur.execute(sql, args or None)
        timings[label] = round(time.monotonic() - t, 1)
        log(f"  {label}: {cur.rowcount:,} rows, {timings[label]} s")

    step("households", f"""
        INSERT INTO registry_household (id, number, created_at, village_id)
        SELECT {hbase} + h, 'BH' || h, now(), v.code
        FROM generate_series(1, ({n['persons']} + 2) / 3) h JOIN bench_village v ON v.idx = h % {nv}""")
    step("persons", f"""
        INSERT INTO registry_person (id, name, id_enc, id_bidx, id_mask_bidx, birth_date, sex, relation, phone_enc,
                                     phone_bidx, status, status_since, import_digest, created_at, updated_at,
                                     household_id, village_id)
        SELECT {pbase} + p, '对象' || p, 'x', bench_bidx('P', p), '',
               CASE WHEN p > {na} AND p <= {nben} AND p % 1000 = 9 THEN DATE '1990-05-05'
                    WHEN p <= {na} THEN DATE '1940-01-01' + (p * 37 % 20000)::int
                    WHEN p <= {na + nb} THEN DATE '1930-01-01' + (p * 37 % 10000)::int
                    WHEN p <= {nben} THEN DATE '2012-01-01' + (p * 37 % 2500)::int
                    ELSE DATE '1940-01-01' + (p * 37 % 25000)::int END,
               (p % 2 + 1)::text, '', '', '',
               CASE WHEN p % 1000 = 11 THEN 'deceased' ELSE 'normal' END,
               CASE WHEN p % 1000 = 11 THEN DATE '2025-01-01' END, '', now(), now(),
               {hbase} + (p + 2) / 3, v.code
        FROM generate_series(1, {n['persons']}) p JOIN bench_village v ON v.idx = ((p + 2) / 3) % {nv}""")
    step("accounts", f"""
        INSERT INTO registry_bankaccount (kind, bank, number_enc, number_bidx, holder_name, status, is_current,
                                          created_at, updated_at, person_id)
        SELECT 'ssc', '', 'x', bench_bidx('A', p), '对象' || p,
               CASE WHEN p % 1000 = 21 THEN 'frozen' ELSE 'active' END, true, now(), now(), {pbase} + p
        FROM generate_series(1, {n['persons']}) p""")
    cur.execute("SELECT coalesce(max(id), 0) FROM rosters_batch")
    bbase = cur.fetchone()[0]
    # batches: policy k (0..2), month m (0..35), township t -> id bbase + (k*36 + m)*T + t + 1; D last
    step("batches", f"""
        INSERT INTO rosters_batch (id, code, kind, period, profile_code, state, state_since, item_count, total_fen,
                                   created_at, version, created_by_id, department_id, policy_id, region_id)
        SELECT {bbase} + (k * {MONTHS} + m) * {nt} + t.town_idx + 1,
               'BENCH-' || k || '-' || m || '-' || t.town_idx, 'normal',
               to_char(DATE '{FIRST_YEAR}-01-01' + make_interval(months => m), 'YYYY-MM'), '004', 'approved', now(),
               0, 0, now(), 0, {user}, bp.dept, bp.id, t.town
        FROM bench_policy bp CROSS JOIN generate_series(0, {MONTHS - 1}) m
        CROSS JOIN (SELECT DISTINCT town, town_idx FROM bench_village) t
        WHERE bp.k < 3
        UNION ALL
        SELECT {bbase} + 3 * {MONTHS} * {nt} + 1, 'BENCH-INCREMENTAL', 'normal', '2026-12', '004', 'submitted', now(),
               0, 0, now(), 0, {user}, bp.dept, bp.id, (SELECT town FROM bench_village WHERE town_idx = 0 LIMIT 1)
        FROM bench_policy bp WHERE bp.k = 3""")
    item_cols = ("batch_id, seq, item_ref, name, id_enc, id_bidx, id_masked, is_org, household_no, relation, "
                 "phone_enc, phone_masked, bank_name, account_enc, account_bidx, account_masked, account_holder, "
                 "quantity, standard_fen, amount_fen, memo, status, removed_reason, warnings, compare, person_id, "
                 "village_id, phone_bidx, id_valid, account_valid")

    def items(batch: str, seq: str, ref: str, account: str, amount: str) -> str:
        return (f"SELECT {batch}, {seq}, {ref}, '对象' || p, 'x', bench_bidx('P', p), '', false, '', '', '', '', '', "
                f"'x', {account}, '', '对象' || p, 1, bp.rate, {amount}, '', 'active', '', '[]', '{{}}', "
                f"{pbase} + p, v.code, CASE WHEN p % 3000 = 13 THEN bench_bidx('T', 13) ELSE bench_bidx('T', p) END, "
                f"p % 5000 <> 17, p % 5000 <> 19 ")

    paid = f"""FROM bench_policy bp CROSS JOIN generate_series(0, {MONTHS - 1}) m
               JOIN generate_series(1, {nben}) p ON p BETWEEN bp.lo AND bp.hi
               JOIN bench_village v ON v.idx = ((p + 2) / 3) % {nv}
               WHERE bp.k < 3"""
    step("items", f"INSERT INTO rosters_batchitem ({item_cols}) " + items(
        f"{bbase} + (bp.k * {MONTHS} + m) * {nt} + v.town_idx + 1", "p - bp.lo + 1",
        "'B' || bp.k || '-' || m || '-' || p",
        "bench_bidx('A', CASE WHEN bp.k = 0 AND p % 1000 = 3 THEN p + 5 ELSE p END)",
        "CASE WHEN (p + m) % 1000 = 5 THEN bp.rate + 1000 ELSE bp.rate END") + paid)
    step("duplicate items", f"INSERT INTO rosters_batchitem ({item_cols}) " + items(
        f"{bbase} + (bp.k * {MONTHS} + m) * {nt} + (v.town_idx + 1) % {nt} + 1", f"{nben} + p",
        "'D' || bp.k || '-' || m || '-' || p", "bench_bidx('A', p)", "bp.rate") + paid + " AND bp.k = 0 AND p % 2000 = 7")
    step("incremental roster", f"INSERT INTO rosters_batchitem ({item_cols}) " + items(
        f"{bbase} + 3 * {MONTHS} * {nt} + 1", "p - bp.lo + 1", "'I-' || p", "bench_bidx('A', p)", "bp.rate") + f"""
        FROM bench_policy bp JOIN generate_series({nben + 1}, {nben + nd}) p ON p BETWEEN bp.lo AND bp.hi
        JOIN bench_village v ON v.idx = ((p + 2) / 3) % {nv} WHERE bp.k = 3""")
    q("""UPDATE rosters_batch b SET item_count = s.n, total_fen = s.t
         FROM (SELECT batch_id, count(*) n, sum(amount_fen) t FROM rosters_batchitem GROUP BY 1) s
         WHERE s.batch_id = b.id AND b.code LIKE 'BENCH-%'""")
    # reference snapshots: the new one of each dataset is the current one
    county = "(SELECT parent_id FROM regions_region WHERE code = (SELECT town FROM bench_village LIMIT 1))"
    sets = {"deaths": (n["deaths"], 200), "state_paid": (n["state_paid"], 400), "cadres": (n["cadres"], 400),
            "vehicles": (n["vehicles"], 400), "real_estate": (n["real_estate"], 400), "business": (n["business"], 400)}
    q("UPDATE registry_referencesnapshot SET is_current = false WHERE dataset = ANY(%s)", list(sets))
    for off, (dataset, (count, every)) in enumerate(sets.items(), 1):
        rows = count + (n["relatives"] if dataset == "cadres" else 0)
        cur.execute(f"""INSERT INTO registry_referencesnapshot (dataset, source_agency, as_of, row_count, file_name,
                            file_sha256, loaded_at, is_current, region_id)
                        VALUES (%s, '省直部门', DATE '2026-10-31', %s, 'bench.csv', '', now(), true, {county})
                        RETURNING id""", [dataset, rows])
        snap = cur.fetchone()[0]
        person = _ref_person("r", 13 + 2 * off, 1000 * off, every, n)
        date = "CASE WHEN r % 200 = 0 THEN DATE '2025-07-01' ELSE DATE '2020-01-01' END" if dataset == "deaths" else "NULL"
        step(f"reference {dataset}", f"""
            INSERT INTO registry_referencerecord (id_bidx, id_enc, name, related_id_bidx, related_id_enc, account_bidx,
                                                  account_enc, event_date, attrs, snapshot_id)
            SELECT bench_bidx('P', {person}), 'x', '对象' || {person}, '', '', '', '', {date}, '{{}}', {snap}
            FROM generate_series(1, {count}) r""")
        if dataset == "cadres":  # three relatives per cadre
            relative = _ref_person("r", 31, 7000, every, n)
            cadre_of_r = _ref_person("((r - 1) / 3 + 1)", 13 + 2 * off, 1000 * off, every, n)
            step("reference relatives", f"""
                INSERT INTO registry_referencerecord (id_bidx, id_enc, name, related_id_bidx, related_id_enc,
                                                      account_bidx, account_enc, event_date, attrs, snapshot_id)
                SELECT bench_bidx('P', {relative}), 'x', '亲属' || r,
                       bench_bidx('P', {cadre_of_r}), 'x', '', '', NULL, '{{}}', {snap}
                FROM generate_series(1, {n['relatives']}) r""")
    t = time.monotonic()
    for name, definition, con, table in indexes:
        cur.execute(definition)
        if con:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"')
    timings["indexes"] = round(time.monotonic() - t, 1)
    log(f"  indexes: {timings['indexes']} s")
    for table in BIG_TABLES + ("rosters_batch", "registry_referencesnapshot"):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    q("SET session_replication_role = origin")
    q("DROP TABLE bench_village")
    q("DROP TABLE bench_policy")
    conn.commit()
    t = time.monotonic()
    conn.autocommit = True
    cur.execute("VACUUM ANALYZE")
    timings["vacuum_analyze"] = round(time.monotonic() - t, 1)
    conn.autocommit = False
    cur.execute("SELECT count(*) FROM rosters_batchitem")
    n["items"] = cur.fetchone()[0]
    n["incremental_batch_id"] = bbase + 3 * MONTHS * nt + 1
    n["generate_seconds"] = round(time.monotonic() - started, 1)
    n["generate_timings"] = timings
    return n
