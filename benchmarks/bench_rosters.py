"""Roster import end to end on PostgreSQL: an N-row xlsx (default 200,000) parsed, normalised,
validated, compared with the register and persisted into a draft batch, beside a baseline
measured in the same run: python-calamine parse + python-stdnum checks + COPY of the same rows.

    .venv/bin/python benchmarks/bench_rosters.py      # standalone; or via benchmarks/run.py

Environment: YKT_BENCH_PG (default postgres://postgres@127.0.0.1:5432/ykt_bench_rosters; dropped
and created), YKT_BENCH_ROSTER_ROWS (default 200000), YKT_BENCH_DEMO_SIZE (register size built
by `yikatong demo`, default 20000). Target: at most 2x the baseline, peak RSS under 1.5 GB.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ykt_bench_rosters"
PY = str(ROOT / ".venv" / "bin" / "python")

SETUP = r"""
import django, sys
django.setup()
from yikatong.accounts.models import User
from yikatong.policies.selectors import payable_policies
from yikatong.regions.models import Region
from yikatong.rosters import services
zhan = User.objects.get(username="zhan")
town = zhan.region
policy = next(p for p in payable_policies(town.code, 2026).filter(disburser="township", frequency="monthly")
              if not p.is_tiered and p.rate_fen)
batch = services.batch_create(actor=zhan, policy=policy, period="2026-12", region=town)
villages = list(Region.objects.filter(parent=town).values_list("name", flat=True))
print(batch.pk, policy.rate_fen, "|".join(villages))
"""

IMPORT = r"""
import django, sys, time
django.setup()
from yikatong.accounts.models import User
from yikatong.rosters.importer.run import roster_import
data = open(sys.argv[2], "rb").read()
t = time.perf_counter()
run = roster_import(actor=User.objects.get(username="zhan"), batch_id=int(sys.argv[1]), data=data, filename="roster.xlsx",
                    mode="all_or_nothing")
print(run.accepted, run.error_count, round(time.perf_counter() - t, 2))
"""

BASELINE = r"""
import io, sys, time, psycopg
from python_calamine import CalamineWorkbook
from stdnum.cn import ric
from stdnum import luhn
t = time.perf_counter()
rows = CalamineWorkbook.from_path(sys.argv[2]).get_sheet_by_index(0).to_python()
out = []
for r in rows[2:]:
    n = str(r[2])
    assert ric.calc_check_digit(n) == n[-1] and ric.get_birth_date(n)  # stdnum's region table lacks newer codes
    luhn.validate(str(r[5]))
    out.append((str(r[1]), str(r[2]), str(r[3]), str(r[5]), str(r[6])))
with psycopg.connect(sys.argv[1]) as conn:
    conn.execute("CREATE TEMP TABLE base (name text, id text, village text, account text, amount text)")
    with conn.cursor().copy("COPY base FROM STDIN") as cp:
        for row in out:
            cp.write_row(row)
print(len(out), round(time.perf_counter() - t, 2))
"""


def _make_xlsx(path: Path, n: int, rate_fen: int, villages: list[str]) -> None:
    import xlsxwriter
    from stdnum.luhn import calc_check_digit

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["大槐树镇发放清册"])
    ws.write_row(1, 0, ["序号", "姓名", "身份证号码", "村(社区)", "联系电话", "银行账号", "发放金额(元)"])
    amount = f"{rate_fen // 100}.{rate_fen % 100:02d}"
    for i in range(n):
        body = f"141024{1940 + i % 60}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        body = body[:17]
        check = (1 - 2 * int(body, 13)) % 11
        idn = body + ("X" if check == 10 else str(check))
        card = f"6228480{i:011d}"
        ws.write_row(i + 2, 0, [str(i + 1), f"对象{i}", idn, villages[i % len(villages)], "", card + calc_check_digit(card), amount])
    wb.close()


def _timed(cmd: list[str], env: dict) -> tuple[float, float, str]:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read()
    err = proc.stderr.read()
    if status != 0:
        raise RuntimeError(f"{cmd[:3]} failed: {err[-2000:]}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, out.strip()


def run() -> dict:
    import psycopg

    url = os.environ.get("YKT_BENCH_PG", DEFAULT_URL)
    rows = int(os.environ.get("YKT_BENCH_ROSTER_ROWS", "200000"))
    size = os.environ.get("YKT_BENCH_DEMO_SIZE", "20000")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    dbname = url.rsplit("/", 1)[1]
    try:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{dbname}"')
    except psycopg.OperationalError as exc:
        return {"skipped": f"PostgreSQL not reachable: {exc}"}
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yikatong.settings"}
    ykt = str(ROOT / ".venv" / "bin" / "yikatong")
    subprocess.run([ykt, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([ykt, "demo", "--size", size], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    out = subprocess.run([PY, "-c", SETUP], env=env, check=True, cwd=ROOT, capture_output=True, text=True).stdout.split()
    batch_id, rate, villages = out[0], int(out[1]), out[2].split("|")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.xlsx"
        _make_xlsx(path, rows, rate, villages)
        base_s, base_rss, base_out = _timed([PY, "-c", BASELINE, url.replace("postgres://", "postgresql://"), str(path)], env)
        ours_s, ours_rss, ours_out = _timed([PY, "-c", IMPORT, batch_id, str(path)], env)
    accepted, errors, inner = ours_out.split()
    ratio = ours_s / base_s if base_s else None
    return {
        "rows": rows, "register_size": int(size), "accepted": int(accepted), "errors": int(errors),
        "import_s": round(ours_s, 2), "import_inner_s": float(inner), "import_peak_rss_mb": round(ours_rss),
        "baseline_s": round(base_s, 2), "baseline_peak_rss_mb": round(base_rss),
        "ratio_vs_baseline": round(ratio, 2) if ratio else None,
        "ok": bool(ratio and ratio <= 2.0 and ours_rss < 1536 and int(errors) == 0),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
