"""The cross-check guard of money-moving transitions (checks.guards.checks_current, issue 12) on
the province data of bench_checks.py: the 10,000-item roster re-checked inside a transition's
transaction (batch_checks_run as the system + the count of blocking findings), rolled back afterwards
as a refused transition would be.

    YKT_BENCH_CHECKS_SCALE=0.1 .venv/bin/python benchmarks/bench_guard.py

Environment as bench_checks.py (YKT_BENCH_PG, YKT_BENCH_CHECKS_SCALE, YKT_BENCH_CHECKS_REUSE=1)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_checks  # noqa: E402

GUARD = r"""
import json, sys, time, django
django.setup()
from django.db import transaction
from yikatong.checks.guards import checks_current
from yikatong.rosters.models import Batch
batch_id = int(sys.argv[1])
out = {}
for key in ("first", "second", "third"):
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch_id)
        t = time.perf_counter()
        problem = checks_current(batch=batch, profile=None, actor=None)
        out[key] = {"seconds": time.perf_counter() - t, "refused": problem.code if problem else None}
        transaction.set_rollback(True)
print("RESULT " + json.dumps(out))
"""


def run() -> dict:
    url = os.environ.get("YKT_BENCH_PG", bench_checks.DEFAULT_URL)
    scale = float(os.environ.get("YKT_BENCH_CHECKS_SCALE", "1"))
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yikatong.settings"}
    sizes = bench_checks._prepare(url, scale, env)
    _, rss, guard = bench_checks._run_snippet(GUARD, [str(sizes["incremental_batch_id"])], env)
    return {"scale": scale, "items": sizes["items"], "roster_items": sizes["nd"],
            **{f"guard_{k}_seconds": round(v["seconds"], 2) for k, v in guard.items()},
            "refused": guard["second"]["refused"], "peak_rss_mb": round(rss)}


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=2))
