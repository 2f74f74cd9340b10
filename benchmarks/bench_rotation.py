"""Data key rotation on PostgreSQL over the demo data (register, rosters, findings): wall time
and peak RSS of `yikatong registry rotate-key`, then a second run that must change nothing.

    .venv/bin/python benchmarks/bench_rotation.py      # standalone; or via benchmarks/run.py

Environment: YKT_BENCH_PG (default postgres://postgres@127.0.0.1:5432/ykt_bench_rotation; dropped
and created), YKT_BENCH_DEMO_SIZE (register size built by `yikatong demo`, default 20000).
Target: peak RSS under 512 MB (the rotator reads in chunks), second run changes nothing.
"""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ykt_bench_rotation"
OLD_KEY = "b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleTA="
NEW_KEY = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleTA="

COUNT = r"""
import django
django.setup()
from django.apps import apps
from yikatong.core.keyed import declared
print(sum(apps.get_model(label)._base_manager.count() for label in declared()))
"""


def _rss_of(cmd: list[str], env: dict) -> tuple[float, float, str]:
    """Like _timed, with the child's peak RSS (wait4 before anything reaps it)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise RuntimeError(f"{cmd[:3]} failed: {err[-2000:]}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, out.strip()


def run() -> dict:
    import psycopg

    url = os.environ.get("YKT_BENCH_PG", DEFAULT_URL)
    size = os.environ.get("YKT_BENCH_DEMO_SIZE", "20000")
    admin, dbname = url.rsplit("/", 1)[0] + "/postgres", url.rsplit("/", 1)[1]
    try:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{dbname}"')
    except psycopg.OperationalError as exc:
        return {"skipped": f"PostgreSQL not reachable: {exc}"}
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yikatong.settings", "YKT_DATA_KEY": OLD_KEY}
    ykt = str(ROOT / ".venv" / "bin" / "yikatong")
    subprocess.run([ykt, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([ykt, "demo", "--size", size], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    rows = int(subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", COUNT], env=env, check=True, cwd=ROOT,
                              capture_output=True, text=True).stdout.split()[-1])
    env["YKT_DATA_KEY"] = NEW_KEY
    cmd = [ykt, "registry", "rotate-key", "--old-key", OLD_KEY]
    first_s, first_rss, first_out = _rss_of(cmd, env)
    again_s, again_rss, again_out = _rss_of(cmd, env)
    changed = sum(int(line.split("\t")[1]) for line in first_out.splitlines() if "\t" in line)
    changed_again = sum(int(line.split("\t")[1]) for line in again_out.splitlines() if "\t" in line)
    return {
        "register_size": int(size), "rows_in_declared_tables": rows, "values_changed": changed,
        "rotate_s": round(first_s, 2), "rotate_peak_rss_mb": round(first_rss),
        "second_run_s": round(again_s, 2), "second_run_changed": changed_again,
        "ok": bool(changed and changed_again == 0 and first_rss < 512),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
