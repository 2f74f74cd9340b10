"""Cross-checks at province scale on PostgreSQL: 2,000,000 persons, 10,000,000 roster items over
three years, 100,000 deaths, 40,000 state-paid staff, 20,000 cadres and 60,000 relatives, 200,000
vehicles / real estate / business records (data: checks_data.py, about 1% of the items planted
with anomalies).

    .venv/bin/python benchmarks/bench_checks.py      # standalone; or via benchmarks/run.py checks

Environment: YKT_BENCH_PG (default postgres://postgres@127.0.0.1:5432/ykt_bench; dropped and
created), YKT_BENCH_CHECKS_SCALE (default 1; 0.01 runs small), YKT_BENCH_CHECKS_REUSE=1 keeps a
database already generated at the same scale (generation takes minutes at full scale).

Measured, each in a subprocess of its own (peak RSS by os.wait4):
  sweep        services.sweep_run(engine="duckdb") from the database: extraction (COPY → DuckDB),
               every enabled rule, findings written; then the same sweep again (must create nothing);
  baseline     the same rules hand-written as DuckDB SQL over the tables already loaded in DuckDB
               (the load is not timed, only the queries, results fetched);
  incremental  services.batch_checks_run on the 10,000-item roster against all data (its findings
               removed first, so they are created as on a first submission), twice: the first
               run follows the 7 GB DuckDB processes and may meet a cold page cache
               (incremental_first_seconds); the target applies to the second (incremental_seconds).
Targets: sweep at most 3x the baseline and under 120 s; incremental under 5 s.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ykt_bench"
PY = str(ROOT / ".venv" / "bin" / "python")
TARGET_RATIO, TARGET_SWEEP_S, TARGET_INCREMENTAL_S = 3.0, 120.0, 5.0

SWEEP = r"""
import json, time, django
django.setup()
from yikatong.checks import duck, engine, findings_sql, services
phases = {"extract": 0.0, "rules": 0.0, "findings": 0.0}
def timed(phase, fn):
    def wrapper(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            phases[phase] += time.perf_counter() - t
    return wrapper
duck.extract = timed("extract", duck.extract)
duck.run_rule = timed("rules", duck.run_rule)
findings_sql.apply_hits = timed("findings", findings_sql.apply_hits)
t = time.perf_counter()
run = services.sweep_run(actor=None, engine="duckdb")
out = {"seconds": time.perf_counter() - t, "hits": run.hits, "created": run.created,
       "phases": {k: round(v, 2) for k, v in phases.items()}}
t = time.perf_counter()
again = services.sweep_run(actor=None, engine="duckdb")
out.update(again_seconds=time.perf_counter() - t, again_created=again.created, again_closed=again.closed)
print("RESULT " + json.dumps(out))
"""

INCREMENTAL = r"""
import json, sys, time, django
django.setup()
from yikatong.checks import services
from yikatong.checks.models import Finding
batch_id = int(sys.argv[1])
out = {}
for key in ("first", "second"):  # the first may meet a cold page cache after the DuckDB processes
    Finding.objects.filter(batch_id=batch_id).delete()
    t = time.perf_counter()
    run = services.batch_checks_run(actor=None, batch_id=batch_id)
    out[key] = {"seconds": time.perf_counter() - t, "hits": run.hits, "created": run.created}
print("RESULT " + json.dumps(out))
"""

BASELINE = r"""
import json, time, django
django.setup()
from yikatong.checks import duck
t = time.perf_counter()
con = duck.extract()
load = time.perf_counter() - t
con.execute('''CREATE VIEW bi AS
  SELECT i.id AS item_id, i.batch_id, i.seq, i.name, i.id_bidx, i.account_bidx, i.household_no, i.village_id,
         i.quantity, i.standard_fen, i.amount_fen, b.code AS batch_code, b.parent_id, b.period, p.code AS policy_code,
         p.name AS policy_name, p.rate_fen, p.means_tested, p.age_min, p.age_max,
         CAST(strptime(b.period || '-01', '%Y-%m-%d') AS DATE) AS period_start,
         i.phone_bidx, i.id_valid, i.account_valid, i.birth_date AS id_birth_date, i.account_holder, i.is_org,
         p.unit, p.residence_required,
         substr(b.region_id, 1, CASE rg.level WHEN 1 THEN 2 WHEN 2 THEN 4 WHEN 3 THEN 6 WHEN 4 THEN 9 ELSE 12 END)
           AS township
  FROM rosters_batchitem i JOIN rosters_batch b ON b.id = i.batch_id JOIN policies_policy p ON p.id = b.policy_id
  JOIN regions_region rg ON rg.code = b.region_id
  WHERE i.status = 'active' ''')
# the policies' exclusive pairs, as the rules' v_exclusive lookup
from yikatong.policies.models import Policy
pairs = sorted({pair for code, ex in Policy.objects.values_list("code", "exclusive_codes") for o in (ex or [])
                if o and o != code for pair in ((code, o), (o, code))})
con.execute("CREATE TABLE excl (policy_code VARCHAR, other_code VARCHAR)")
if pairs:
    con.executemany("INSERT INTO excl VALUES (?, ?)", pairs)
con.execute('''CREATE VIEW rr AS
  SELECT r.id AS record_id, s.dataset, s.source_agency, r.id_bidx, r.related_id_bidx, r.event_date
  FROM registry_referencerecord r JOIN registry_referencesnapshot s ON s.id = r.snapshot_id WHERE s.is_current''')
Q = {
 "DUP_PAYMENT": '''SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.policy_name, s.period, o.item_id, o.batch_code, o.seq
   FROM bi s JOIN bi o ON o.id_bidx = s.id_bidx AND o.policy_code = s.policy_code AND o.period = s.period
                      AND o.item_id <> s.item_id
   WHERE (s.parent_id IS NULL OR s.parent_id <> o.batch_id) AND (o.parent_id IS NULL OR o.parent_id <> s.batch_id)''',
 "SHARED_ACCOUNT": '''SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.period, o.id_bidx, o.name, o.batch_code, o.seq
   FROM bi s JOIN bi o ON o.account_bidx = s.account_bidx AND o.period = s.period AND o.id_bidx <> s.id_bidx
   LEFT JOIN registry_person ps ON ps.id_bidx = s.id_bidx LEFT JOIN registry_person po ON po.id_bidx = o.id_bidx
   WHERE s.account_bidx <> '' AND (ps.household_id IS NULL OR po.household_id IS NULL OR ps.household_id <> po.household_id)
     AND (s.household_no = '' OR s.household_no <> o.household_no OR s.village_id IS NULL OR o.village_id IS NULL
          OR s.village_id <> o.village_id)''',
 "DECEASED": '''SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.period, 'register', p.status_since
   FROM bi s JOIN registry_person p ON p.id_bidx = s.id_bidx
   WHERE p.status = 'deceased' AND (p.status_since IS NULL OR p.status_since < s.period_start)
   UNION ALL
   SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.period, 'reference', r.event_date
   FROM bi s JOIN rr r ON r.id_bidx = s.id_bidx AND r.dataset = 'deaths'
   WHERE r.event_date IS NULL OR r.event_date < s.period_start''',
 "AMOUNT_STANDARD": '''SELECT item_id, batch_id, id_bidx, name, amount_fen, standard_fen, rate_fen, quantity FROM bi
   WHERE (standard_fen IS NOT NULL AND abs(amount_fen - standard_fen * quantity) > 0)
      OR (rate_fen IS NOT NULL AND amount_fen > rate_fen * quantity)''',
 "AGE_LIMIT": '''SELECT s.item_id, s.batch_id, s.id_bidx, s.name, COALESCE(p.birth_date, s.id_birth_date), s.age_min
   FROM bi s LEFT JOIN registry_person p ON p.id_bidx = s.id_bidx
   WHERE (s.age_min IS NOT NULL AND COALESCE(p.birth_date, s.id_birth_date) > s.period_start - to_years(s.age_min))
      OR (s.age_max IS NOT NULL AND COALESCE(p.birth_date, s.id_birth_date) <= s.period_start - to_years(s.age_max + 1))''',
 "ACCOUNT_INACTIVE": '''SELECT s.item_id, s.batch_id, s.id_bidx, s.name, a.id, a.status
   FROM bi s JOIN registry_bankaccount a ON a.number_bidx = s.account_bidx
   WHERE s.account_bidx <> '' AND a.is_current AND a.status IN ('unactivated', 'frozen', 'lost', 'closed')''',
 "STATE_PAID": '''SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.policy_name, r.record_id, r.source_agency
   FROM bi s JOIN rr r ON r.id_bidx = s.id_bidx AND r.dataset = 'state_paid' WHERE s.means_tested''',
 "CADRE": '''SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.policy_name, r.record_id, r.source_agency, r.related_id_bidx
   FROM bi s JOIN rr r ON r.id_bidx = s.id_bidx AND r.dataset = 'cadres' WHERE s.means_tested''',
 "ASSETS": '''SELECT s.item_id, s.batch_id, s.id_bidx, s.name, s.policy_name, r.record_id, r.dataset
   FROM bi s JOIN rr r ON r.id_bidx = s.id_bidx AND r.dataset IN ('vehicles', 'real_estate', 'business')
   WHERE s.means_tested''',
 "ID_INVALID": "SELECT item_id, batch_id, id_bidx, name FROM bi WHERE NOT id_valid",
 "CARD_INVALID": "SELECT item_id, batch_id, id_bidx, name FROM bi WHERE NOT account_valid",
 "HOLDER_MISMATCH": '''SELECT s.item_id, 'holder' FROM bi s LEFT JOIN registry_person ps ON ps.id_bidx = s.id_bidx
   WHERE s.account_holder <> '' AND s.account_holder <> s.name
     AND NOT (s.unit = 'household' AND EXISTS (SELECT 1 FROM registry_person h WHERE h.household_id = ps.household_id
                                              AND h.relation = '户主' AND h.name = s.account_holder))
   UNION ALL
   SELECT s.item_id, 'owner' FROM bi s JOIN registry_bankaccount a ON a.number_bidx = s.account_bidx AND a.is_current
   JOIN registry_person po ON po.id = a.person_id LEFT JOIN registry_person ps ON ps.id_bidx = s.id_bidx
   WHERE s.account_bidx <> '' AND po.id_bidx <> s.id_bidx
     AND (s.unit <> 'household' OR po.relation <> '户主' OR po.household_id IS NULL OR ps.household_id IS NULL
          OR po.household_id <> ps.household_id)''',
 "EXCLUSIVE_POLICY": '''SELECT s.item_id, o.item_id FROM bi s JOIN excl x ON x.policy_code = s.policy_code
   JOIN bi o ON o.id_bidx = s.id_bidx AND o.policy_code = x.other_code AND o.period = s.period''',
 "NOT_RESIDENT": '''SELECT s.item_id, p.village_id FROM bi s LEFT JOIN registry_person p ON p.id_bidx = s.id_bidx
   WHERE s.residence_required AND NOT s.is_org AND (p.id IS NULL OR NOT starts_with(p.village_id, s.township))''',
 "SHARED_PHONE": '''SELECT s.item_id, c.n FROM bi s JOIN (SELECT phone_bidx, count(DISTINCT id_bidx) AS n FROM bi
   WHERE phone_bidx <> '' GROUP BY 1) c ON c.phone_bidx = s.phone_bidx WHERE c.n > 3''',
 "AMOUNT_JUMP": '''SELECT s.item_id, o.item_id FROM bi s JOIN bi o ON o.id_bidx = s.id_bidx
   AND o.policy_code = s.policy_code AND o.period_start = s.period_start - INTERVAL 1 MONTH
   WHERE o.amount_fen > 0 AND (s.amount_fen - o.amount_fen) * 100 > 50 * o.amount_fen''',
}
rows, t = {}, time.perf_counter()
for code, sql in Q.items():
    rows[code] = len(con.execute(sql).fetchall())
print("RESULT " + json.dumps({"seconds": time.perf_counter() - t, "load_seconds": load, "rows": rows}))
"""


_RSS: dict[int, int] = {}


class _Popen(subprocess.Popen):
    """Popen that reaps its child with os.wait4, keeping the child's own peak RSS (kB)."""

    def _try_wait(self, wait_flags):
        pid, status, usage = os.wait4(self.pid, wait_flags)
        if pid:
            _RSS[pid] = usage.ru_maxrss
        return pid, status


def _run_snippet(snippet: str, argv: list[str], env: dict) -> tuple[float, float, dict]:
    started = time.perf_counter()
    proc = _Popen([PY, "-c", snippet, *argv], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                  cwd=ROOT)
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"snippet failed ({proc.returncode}):\n{err[-3000:]}")
    return seconds, _RSS.pop(proc.pid, 0) / 1024, json.loads(next(l for l in reversed(out.splitlines()) if l.startswith("RESULT "))[7:])


def _prepare(url: str, scale: float, env: dict) -> dict:
    import psycopg

    import checks_data

    admin = url.rsplit("/", 1)[0] + "/postgres"
    dbname = url.rsplit("/", 1)[1]
    if os.environ.get("YKT_BENCH_CHECKS_REUSE") == "1":
        try:
            with psycopg.connect(url) as c:
                meta = c.execute("SELECT sizes FROM bench_meta WHERE scale = %s", [scale]).fetchone()
            if meta:
                print("  reusing the generated database")
                return {**meta[0], "reused": True}
        except psycopg.Error:
            pass
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{dbname}"')
    ykt = str(ROOT / ".venv" / "bin" / "yikatong")
    subprocess.run([ykt, "migrate", "-v0", "--skip-checks"], env=env, check=True, cwd=ROOT)
    subprocess.run([ykt, "demo", "--size", "1000"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    with psycopg.connect(url) as conn:
        sizes = checks_data.generate(conn, scale, log=lambda m: print(m, flush=True))
        conn.execute("CREATE TABLE bench_meta (scale float, sizes jsonb)")
        conn.execute("INSERT INTO bench_meta VALUES (%s, %s)", [scale, json.dumps(sizes)])
        conn.commit()
    return sizes


def run() -> dict:
    import psycopg

    url = os.environ.get("YKT_BENCH_PG", DEFAULT_URL)
    scale = float(os.environ.get("YKT_BENCH_CHECKS_SCALE", "1"))
    try:
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres"):
            pass
    except psycopg.OperationalError as exc:
        return {"skipped": f"PostgreSQL 不可用：{exc}"}
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yikatong.settings"}
    sizes = _prepare(url, scale, env)
    with psycopg.connect(url, autocommit=True) as c:  # measure a first sweep: no findings yet
        c.execute("DELETE FROM checks_finding")
        c.execute("DELETE FROM checks_rulerun")
    sweep_wall, sweep_rss, sweep = _run_snippet(SWEEP, [], env)
    base_wall, base_rss, base = _run_snippet(BASELINE, [], env)
    inc_wall, inc_rss, inc = _run_snippet(INCREMENTAL, [str(sizes["incremental_batch_id"])], env)
    ratio = sweep["seconds"] / base["seconds"] if base["seconds"] else None
    figures = {
        "scale": scale, "persons": sizes["persons"], "items": sizes["items"],
        "generate_seconds": sizes.get("generate_seconds"), "reused_data": bool(sizes.get("reused")),
        "sweep_seconds": round(sweep["seconds"], 2), "sweep_phases": sweep["phases"],
        "sweep_peak_rss_mb": round(sweep_rss), "sweep_hits": sweep["hits"], "sweep_findings_created": sweep["created"],
        "resweep_seconds": round(sweep["again_seconds"], 2), "resweep_created": sweep["again_created"],
        "resweep_closed": sweep["again_closed"],
        "baseline_seconds": round(base["seconds"], 2), "baseline_load_seconds": round(base["load_seconds"], 2),
        "baseline_rows": sum(base["rows"].values()), "baseline_rows_by_rule": base["rows"],
        "baseline_peak_rss_mb": round(base_rss),
        "ratio_vs_baseline": round(ratio, 2) if ratio else None,
        "incremental_items": sizes["nd"], "incremental_seconds": round(inc["second"]["seconds"], 2),
        "incremental_first_seconds": round(inc["first"]["seconds"], 2),
        "incremental_hits": inc["second"]["hits"], "incremental_peak_rss_mb": round(inc_rss),
        "targets": {"ratio_vs_baseline": TARGET_RATIO, "sweep_seconds": TARGET_SWEEP_S,
                    "incremental_seconds": TARGET_INCREMENTAL_S},
    }
    figures["ok"] = bool(
        ratio is not None and ratio <= TARGET_RATIO and sweep["seconds"] < TARGET_SWEEP_S
        and inc["second"]["seconds"] < TARGET_INCREMENTAL_S and sweep["again_created"] == 0 and sweep["again_closed"] == 0
    )
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=2))
