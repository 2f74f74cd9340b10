"""Beneficiary register on PostgreSQL: import of a 1,000,000-person register from CSV, and the
comparison (复核比对) of 10,000 rows against it.

    .venv/bin/python benchmarks/bench_registry.py          # standalone; or via benchmarks/run.py

Environment: YKT_BENCH_PG (default postgres://postgres@127.0.0.1:5432/ykt_bench_registry; the
database is dropped and created), YKT_BENCH_REGISTRY_ROWS (default 1000000). Skipped when
PostgreSQL is not reachable.

Steps, each as an operator would run it (subprocesses of the installed project):
  1. a synthetic register CSV (valid ID and card numbers, 3-5 person households, the villages of
     洪洞县 141024) is written to a temporary directory (not timed);
  2. baseline: the same rows, unencrypted, COPY'd by psycopg into a plain table with the same
     text columns and a primary key (what PostgreSQL itself can take on this machine);
  3. `yikatong registry import FILE --region 141024`: rows/s end to end (process wall time,
     Django start-up included) and the process's peak RSS (os.wait4);
  4. the same file again: must change nothing;
  5. compare_rows on 10,000 rows of the file (every 100th) against the register.
Targets: import >= 20,000 rows/s, peak RSS < 1 GB, compare < 2 s. Figures are reported as
measured; `ok` says whether all targets were met.
"""
from __future__ import annotations

import csv
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ykt_bench_registry"
COUNTY = "141024"
TARGET_ROWS_PER_S = 20000
TARGET_RSS_MB = 1024
TARGET_COMPARE_S = 2.0

COMPARE_SNIPPET = r"""
import csv, itertools, os, sys, time
import django
django.setup()
from yikatong.registry.compare import CompareRow, compare_rows
rows = []
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    r = csv.reader(f); next(r)
    for row in itertools.islice(r, 0, None, int(sys.argv[2])):
        rows.append(CompareRow(row[1], row[2], row[11], row[3]))
rows = rows[:10000]
started = time.perf_counter()
results = compare_rows(rows)
seconds = time.perf_counter() - started
print(len(rows), round(seconds, 3), sum(r.ok for r in results))
"""


def _command() -> list[str]:
    script = Path(sys.executable).parent / "yikatong"
    return [str(script)] if script.exists() else [sys.executable, "-m", "yikatong.cli"]


_RSS: dict[int, int] = {}


def _peak_rss_kb(pid: int) -> int:
    return _RSS.get(pid, 0)


class _Popen(subprocess.Popen):
    """Popen that reaps its child with os.wait4, keeping the child's own peak RSS."""

    def _try_wait(self, wait_flags):
        pid, status, usage = os.wait4(self.pid, wait_flags)
        if pid:
            _RSS[pid] = usage.ru_maxrss
        return pid, status


def _run(args: list[str], env: dict) -> tuple[float, str, int]:
    """(wall seconds, stdout, peak RSS in kB) of one subprocess."""
    started = time.monotonic()
    proc = _Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(args[-4:])}` failed ({proc.returncode}):\n{err[-3000:]}")
    return seconds, out, _peak_rss_kb(proc.pid)


def _villages() -> list[str]:
    path = ROOT / "yikatong" / "regions" / "data" / "villages.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [row["code"] for row in csv.DictReader(f) if row["code"].startswith(COUNTY)]


def _generate(path: Path, rows: int) -> float:
    from yikatong.registry.synthetic import REGISTER_HEADERS, Population, register_row

    started = time.monotonic()
    pop = Population(COUNTY, _villages(), seed=2026)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(REGISTER_HEADERS)
        i = 0
        for household in pop.households(rows):
            for m in household:
                i += 1
                w.writerow(register_row(i, m))
    return time.monotonic() - started


def _baseline_copy(url: str, path: Path) -> tuple[float, int]:
    import psycopg

    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_plain_register")
        cur.execute("CREATE TABLE bench_plain_register (id bigint PRIMARY KEY, " + ", ".join(f"c{i} text" for i in range(13)) + ")")
        conn.commit()
        started = time.monotonic()
        n = 0
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            next(reader)
            with cur.copy("COPY bench_plain_register FROM STDIN") as copy:
                for n, row in enumerate(reader, 1):
                    copy.write_row((n, *row))
        conn.commit()
        seconds = time.monotonic() - started
        cur.execute("DROP TABLE bench_plain_register")
        conn.commit()
    return seconds, n


def _admin(url: str, sql: str) -> None:
    import psycopg

    base = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql)


def run() -> dict:
    url = os.environ.get("YKT_BENCH_PG", DEFAULT_URL)
    rows = int(os.environ.get("YKT_BENCH_REGISTRY_ROWS", "1000000"))
    db = url.rsplit("/", 1)[1]
    try:
        _admin(url, f'DROP DATABASE IF EXISTS "{db}"')
        _admin(url, f'CREATE DATABASE "{db}"')
    except Exception as exc:  # no PostgreSQL here
        message = f"PostgreSQL 不可用（{type(exc).__name__}），跳过"
        print(message)
        return {"skipped": message}
    work = Path(tempfile.mkdtemp(prefix="ykt-bench-registry-"))
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yikatong.settings",
           "YKT_VAR_DIR": str(work / "var")}
    try:
        _run(_command() + ["migrate", "--noinput", "-v0", "--skip-checks"], env)
        _run(_command() + ["regions", "load", "--county", COUNTY, "--skip-checks"], env)
        path = work / "register.csv"
        generate_s = _generate(path, rows)
        baseline_s, baseline_rows = _baseline_copy(url, path)
        import_s, out, rss_kb = _run(_command() + ["registry", "--skip-checks", "import", str(path), "--region", COUNTY], env)
        created = re.search(r"新增 (\d+)", out)
        inside = re.search(r"用时 ([\d.]+) 秒", out)
        reimport_s, out2, reimport_rss = _run(_command() + ["registry", "--skip-checks", "import", str(path), "--region", COUNTY], env)
        changed = re.search(r"新增 (\d+)，更新 (\d+)", out2)
        step = max(1, rows // 10000)
        _, cmp_out, _ = _run([sys.executable, "-c", COMPARE_SNIPPET, str(path), str(step)], env)
        compared, compare_s, matched = cmp_out.split()
        figures = {
            "rows": rows,
            "file_mb": round(path.stat().st_size / 1e6, 1),
            "generate_seconds": round(generate_s, 1),
            "baseline_copy_seconds": round(baseline_s, 2),
            "baseline_copy_rows_per_second": round(baseline_rows / baseline_s),
            "import_seconds": round(import_s, 2),
            "import_seconds_in_command": float(inside.group(1)) if inside else None,
            "import_rows_per_second": round(rows / import_s),
            "import_created": int(created.group(1)) if created else None,
            "import_peak_rss_mb": round(rss_kb / 1024, 1),
            "reimport_seconds": round(reimport_s, 2),
            "reimport_rows_per_second": round(rows / reimport_s),
            "reimport_changed": int(changed.group(1)) + int(changed.group(2)) if changed else None,
            "reimport_peak_rss_mb": round(reimport_rss / 1024, 1),
            "compare_rows": int(compared),
            "compare_seconds": float(compare_s),
            "compare_matched": int(matched),
            "targets": {"import_rows_per_second": TARGET_ROWS_PER_S, "peak_rss_mb": TARGET_RSS_MB,
                        "compare_seconds": TARGET_COMPARE_S},
        }
        figures["ok"] = (
            figures["import_rows_per_second"] >= TARGET_ROWS_PER_S and figures["import_peak_rss_mb"] < TARGET_RSS_MB
            and figures["compare_seconds"] < TARGET_COMPARE_S and figures["reimport_changed"] == 0
        )
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)
        try:
            _admin(url, f'DROP DATABASE IF EXISTS "{db}"')
        except Exception:
            pass


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
