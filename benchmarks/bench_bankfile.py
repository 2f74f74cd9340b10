"""Bank files at scale: write a 1,000,000-item payment file, parse a 1,000,000-item result file.

Each measurement runs in its own subprocess (fresh interpreter, so peak RSS belongs to that
step alone), beside a baseline measured in the same run: the same lines written and read
with Python's csv module (delimiter "|", CRLF, GB18030; no validation, no MAC).

    ykt_write   write_payment_file over a generator of PaymentLine   -> bytes
    csv_write   csv.writer over a generator of the same tuples        -> bytes
    ykt_parse   parse_result_file (MAC, every line, totals)           -> ResultFile with all lines
    csv_parse   list(csv.reader(...)) over the same result file       -> all rows

Figures: seconds and peak RSS (ru_maxrss), and RSS growth = peak during the step minus the
peak before it (interpreter, imports and, for parsing, the file's bytes already in memory).
Target: ours at most 3x the baseline, in seconds and in RSS growth. YKT_BENCH_BANKFILE_LINES
changes the number of lines (default 1,000,000).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 3.0
KEY = b"bench-key-0123456789abcdef012345"
BATCH = "141024-2026-000001"
NAMES = ("张三", "李四", "王五", "欧阳娜娜", "赵六", "亅二")  # 亅 encodes as 0x81 0x7C: a "|" trail byte
MEMO = "2026年3月耕地地力保护补贴"


def _rows(n: int):
    for i in range(1, n + 1):
        yield (f"{BATCH}-{i:07d}", f"62284800{i:011d}", NAMES[i % 6], "01", "11010519491231002X", 10000 + i % 5000, MEMO)


def _peak_rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# ---- the steps, each run in a child process ------------------------------------------------

def _ykt_write(n: int, path: Path) -> int:
    import datetime

    from yikatong.payments.exchange.mac import preferred_alg
    from yikatong.payments.exchange.paymentfile import PaymentLine, write_payment_file

    _, data = write_payment_file(
        bank_code="ABC01", batch_no=BATCH, business_date=datetime.date(2026, 3, 2), payer_account="6217000010001234",
        payer_name="洪洞县财政局", policy_code="HT-001", policy_name="耕地地力保护补贴",
        lines=(PaymentLine(*row) for row in _rows(n)), key=KEY, alg=preferred_alg(),
    )
    assert data.count(b"\r\nD|") == n
    return len(data)


def _csv_write(n: int, path: Path) -> int:
    import csv
    import io

    raw = io.BytesIO()
    text = io.TextIOWrapper(raw, encoding="gb18030", newline="")
    writer = csv.writer(text, delimiter="|", lineterminator="\r\n", quoting=csv.QUOTE_NONE)
    writer.writerow(("H", "YKT1", BATCH, "20260302", "6217000010001234", "洪洞县财政局", "HT-001", "耕地地力保护补贴", n, 0))
    for seq, row in enumerate(_rows(n), 1):
        writer.writerow(("D", seq, *row))
    writer.writerow(("T", n, 0, "HMAC-SM3", "0" * 64))
    text.flush()
    data = raw.getvalue()
    assert data.count(b"\r\nD|") == n
    return len(data)


def _ykt_parse(n: int, path: Path, data: bytes) -> int:
    from yikatong.payments.exchange.resultfile import parse_result_file

    result = parse_result_file(data, KEY)
    assert len(result.lines) == n
    return len(data)


def _csv_parse(n: int, path: Path, data: bytes) -> int:
    import csv
    import io

    rows = list(csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="gb18030", newline=""), delimiter="|"))
    assert len(rows) == n + 2
    return len(data)


def _make_result(n: int, path: Path) -> int:
    """The result file parsed above: 2% of items failed, spread over every reason code."""
    import datetime

    from yikatong.payments.exchange.codes import REASON_CODES
    from yikatong.payments.exchange.resultfile import ResultLine, write_result_file

    at, codes = datetime.datetime(2026, 3, 3, 10, 0, 0), list(REASON_CODES)

    def lines():
        for i, (ref, account, *_rest) in enumerate(_rows(n), 1):
            amount = 10000 + i % 5000
            if i % 50 == 0:
                code = codes[i // 50 % len(codes)]
                yield ResultLine(i, ref, account, amount, "F", code, REASON_CODES[code].meaning, "", at)
            else:
                yield ResultLine(i, ref, account, amount, "S", "", "", f"SIM{i:012d}", at)

    _, data = write_result_file(bank_code="ABC01", batch_no=BATCH, processed_date=at.date(), lines=lines(), key=KEY)
    path.write_bytes(data)
    return len(data)


STEPS = {"ykt_write": _ykt_write, "csv_write": _csv_write, "ykt_parse": _ykt_parse, "csv_parse": _csv_parse,
         "make_result": _make_result}


# Imported (and the crypto backend warmed up) before measuring: the figures are the work, not start-up.
PRELOAD = {
    "ykt_write": ("yikatong.payments.exchange.paymentfile",), "ykt_parse": ("yikatong.payments.exchange.resultfile",),
    "make_result": ("yikatong.payments.exchange.resultfile",), "csv_write": ("csv", "io"), "csv_parse": ("csv", "io"),
}


def _child(step: str, n: int, path: Path) -> dict:
    import importlib

    for module in PRELOAD[step]:
        importlib.import_module(module)
    if step.startswith("ykt"):
        from yikatong.payments.exchange.mac import compute_mac, preferred_alg

        compute_mac(KEY, b"warm-up", preferred_alg())
    args = (Path(path).read_bytes(),) if step.endswith("_parse") else ()
    before = _peak_rss_mb()
    started = time.perf_counter()
    size = STEPS[step](n, Path(path), *args)
    seconds = time.perf_counter() - started
    peak = _peak_rss_mb()
    return {"seconds": round(seconds, 3), "peak_rss_mb": round(peak, 1), "rss_growth_mb": round(peak - before, 1),
            "bytes": size}


# ---- the parent ----------------------------------------------------------------------------

def _spawn(step: str, n: int, path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", step, str(n), str(path)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{step} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _ratio(ours: float, base: float) -> float:
    return round(ours / base, 2) if base > 0 else float("inf")


def run() -> dict:
    n = int(os.environ.get("YKT_BENCH_BANKFILE_LINES", "1000000"))
    work = Path(tempfile.mkdtemp(prefix="ykt-bench-bankfile-"))
    try:
        result_file = work / f"YKT1_ABC01_{BATCH}_R.txt"
        made = _spawn("make_result", n, result_file)
        m = {step: _spawn(step, n, result_file) for step in ("ykt_write", "csv_write", "ykt_parse", "csv_parse")}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures = {"lines": n, "payment_file_mb": round(m["ykt_write"]["bytes"] / 1e6, 1),
               "result_file_mb": round(made["bytes"] / 1e6, 1)}
    for step, values in m.items():
        figures[f"{step}_seconds"] = values["seconds"]
        figures[f"{step}_peak_rss_mb"] = values["peak_rss_mb"]
        figures[f"{step}_rss_growth_mb"] = values["rss_growth_mb"]
    ratios = {
        "write_seconds_ratio": _ratio(m["ykt_write"]["seconds"], m["csv_write"]["seconds"]),
        "write_rss_ratio": _ratio(m["ykt_write"]["rss_growth_mb"], m["csv_write"]["rss_growth_mb"]),
        "parse_seconds_ratio": _ratio(m["ykt_parse"]["seconds"], m["csv_parse"]["seconds"]),
        "parse_rss_ratio": _ratio(m["ykt_parse"]["rss_growth_mb"], m["csv_parse"]["rss_growth_mb"]),
    }
    figures.update(ratios)
    figures["result_write_seconds"] = made["seconds"]
    figures["target_ratio"] = TARGET_RATIO
    figures["ok"] = all(r <= TARGET_RATIO for r in ratios.values())
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))))
    else:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
