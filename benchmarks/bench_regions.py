"""Full load of the NBS division codes (~665k regions) into a fresh SQLite database.

Source: $YKT_REGIONS_DIR, else /work/shared/data/regions. Steps, each a subprocess of the
installed project exactly as an operator would run it:
    yikatong migrate                      (fresh temporary SQLite file)
    yikatong regions load DIR             timed: first load
    yikatong regions load DIR             timed: second load, must change nothing
Target: first load < 60 s.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/work/shared/data/regions")
TARGET_SECONDS = 60.0
FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv.gz")


def _command() -> list[str]:
    script = Path(sys.executable).parent / "yikatong"
    return [str(script)] if script.exists() else [sys.executable, "-m", "yikatong.cli"]


def _run(args: list[str], env: dict) -> tuple[float, str]:
    started = time.monotonic()
    proc = subprocess.run(_command() + args, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError(f"`yikatong {' '.join(args)}` failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return seconds, proc.stdout


def _reported(stdout: str, pattern: str) -> float | None:
    match = re.search(pattern, stdout)
    return float(match.group(1)) if match else None


def run() -> dict:
    source = Path(os.environ.get("YKT_REGIONS_DIR", DEFAULT_SOURCE))
    missing = [f for f in FILES if not (source / f).is_file()]
    if missing:
        message = f"区划全量数据不在 {source}（缺少 {', '.join(missing)}），跳过；可设置 YKT_REGIONS_DIR"
        print(message)
        return {"skipped": message}

    work = Path(tempfile.mkdtemp(prefix="ykt-bench-regions-"))
    try:
        db = work / "bench.sqlite3"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{db}",
            "DJANGO_SETTINGS_MODULE": "yikatong.settings",
            "YKT_VAR_DIR": str(work / "var"),
        }
        migrate_s, _ = _run(["migrate", "--noinput", "-v0"], env)
        first_s, first_out = _run(["regions", "load", str(source)], env)
        second_s, second_out = _run(["regions", "load", str(source)], env)

        with sqlite3.connect(db) as conn:
            per_level = dict(conn.execute("SELECT level, COUNT(*) FROM regions_region GROUP BY level ORDER BY level"))
            rows = sum(per_level.values())
            events = conn.execute("SELECT COUNT(*) FROM audit_auditevent WHERE action = 'regions.load'").fetchone()[0]
        db_mb = sum(p.stat().st_size for p in work.glob("bench.sqlite3*")) / 1e6
        first_changed = _reported(first_out, r"新增或更新 (\d+)")
        second_changed = _reported(second_out, r"新增或更新 (\d+)")
        return {
            "source": str(source),
            "rows": rows,
            "rows_per_level": {str(k): v for k, v in per_level.items()},
            "migrate_seconds": round(migrate_s, 2),
            "load_seconds": round(first_s, 2),
            "load_seconds_in_command": _reported(first_out, r"用时 ([\d.]+) 秒"),
            "rows_per_second": round(rows / first_s),
            "reload_seconds": round(second_s, 2),
            "reload_changed_rows": int(second_changed) if second_changed is not None else None,
            "first_changed_rows": int(first_changed) if first_changed is not None else None,
            "audit_events": events,
            "db_mb": round(db_mb, 1),
            "target_seconds": TARGET_SECONDS,
            "ok": first_s < TARGET_SECONDS and second_changed == 0 and events == 2,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    print(run())
