"""Run every benchmarks/bench_*.py and record the figures.

    python benchmarks/run.py [NAME ...]      # e.g. `python benchmarks/run.py regions`

Each bench module exposes `run() -> dict` of figures (numbers or short strings). A module
that cannot run here returns {"skipped": "<reason>"}. The results, with the machine and
the date, go to benchmarks/results/latest.json; a table is printed. Exit status 1 when a
benchmark raised or reported `"ok": False` (missed its target).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import platform
import sqlite3
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.json"


def discover(names: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if names:
        found = [p for p in found if p.stem.removeprefix("bench_") in names]
    return found


def load_module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def machine() -> dict:
    info = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or _cpu_model(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    mem = _mem_total_gb()
    if mem:
        info["memory_gb"] = mem
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _mem_total_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def run_one(path: Path) -> dict:
    started = time.monotonic()
    try:
        figures = dict(load_module(path).run())
    except Exception as exc:  # a broken benchmark must not hide the others
        traceback.print_exc()
        figures = {"error": f"{type(exc).__name__}: {exc}", "ok": False}
    figures.setdefault("wall_seconds", round(time.monotonic() - started, 2))
    return figures


def print_table(results: dict[str, dict]) -> None:
    rows = [(name, key, _fmt(value)) for name, figures in results.items() for key, value in figures.items()]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(("benchmark", "figure", "value"))]
    line = "  ".join("{:<%d}" % w for w in widths)
    print(line.format("benchmark", "figure", "value"))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_fmt(v)}" for k, v in value.items())
    return str(value)


def main(argv: list[str]) -> int:
    paths = discover(argv)
    if not paths:
        print(f"没有找到基准测试：{' '.join(argv) or 'bench_*.py'}", file=sys.stderr)
        return 1
    results = {}
    for path in paths:
        name = path.stem.removeprefix("bench_")
        print(f"== {name} ...", flush=True)
        results[name] = run_one(path)
    report = {
        "date": dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "benchmarks": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(RESULTS)
    print()
    print_table(results)
    print(f"\n结果已写入 {RESULTS}")
    return 1 if any("error" in r or r.get("ok") is False for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
