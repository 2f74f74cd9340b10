"""Shared by the benchmarks that run their fixture and measure in child processes on a fresh database
(bench_selfquery.py, bench_reports.py): spawn a step, pick and recreate the PostgreSQL database."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")


def spawn(script: str, env: dict, *args) -> dict:
    """Run `script --child <args>` and return the JSON its last stdout line holds."""
    proc = subprocess.run([PY, str(Path(script).resolve()), "--child", *map(str, args)], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def pg_url(env_name: str, default: str) -> str:
    url = os.environ.get(env_name) or os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else default


def pg_fresh(url: str) -> str | None:
    """Drop and create the database; the reason when PostgreSQL is not reachable."""
    try:
        import psycopg

        admin, dbname = url.rsplit("/", 1)[0] + "/postgres", url.rsplit("/", 1)[1]
        with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{dbname}"')
    except Exception as exc:  # noqa: BLE001 - any failure means: no PostgreSQL here
        return f"PostgreSQL 不可用（{type(exc).__name__}）"
    return None
