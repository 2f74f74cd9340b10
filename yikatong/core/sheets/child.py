"""The spreadsheet parser child: `python -m yikatong.core.sheets.child FMT SHEET MEMORY_MB CPU_S [PATH]`.

Reads one workbook (.xlsx/.xls, from PATH or from stdin) with python-calamine under an address-space
limit (RLIMIT_AS) and a CPU-time limit (RLIMIT_CPU), and writes pickled messages to stdout:

    ("meta", sheet_name, height)      the sheet is read (the parent's wall-clock watchdog stops here)
    ("rows", [[cell, ...], ...])      chunks of rows, cells as str / float / int / bool / datetime
    ("end",)
    ("error", code, params)           a refusal (SheetError) with its code

A native crash (SIGABRT on an allocation failure, SIGSEGV), SIGKILL or SIGXCPU ends this process
only; the parent (isolated.py) turns it into PARSER_CRASHED / PARSER_MEMORY / PARSER_TIMEOUT. The
environment holds no secrets (the parent passes a minimal one). Test hooks (core/faults.py):
YKT_FAULT=sheets.child.parse kills this process with SIGKILL before parsing, sheets.child.hang sleeps.
"""
from __future__ import annotations

import io
import os
import pickle
import resource
import sys
import time

CHUNK = 2000


def _limit(memory_mb: int, cpu_s: int) -> None:
    if memory_mb > 0:
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    if cpu_s > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file with personal data


def _send(out, message) -> None:
    pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)


def _open(fmt: str, sheet: str | None, path: str | None):
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    from .cells import SheetError

    source = path if path else io.BytesIO(sys.stdin.buffer.read())
    try:
        wb = CalamineWorkbook.from_path(source) if path else CalamineWorkbook.from_filelike(source)
    except MemoryError:
        raise
    except Exception as exc:  # calamine raises its own types for zip/xml/password errors
        raise SheetError(f"无法打开这个{fmt}文件（{type(exc).__name__}）：文件可能已损坏或设置了密码，"
                         "请用Excel打开后另存再试") from exc
    names = list(wb.sheet_names)
    if sheet:
        if sheet not in names:
            raise SheetError(f"文件中没有名为“{sheet}”的工作表（现有：{'、'.join(names)}）")
        name = sheet
    else:
        visible = [m.name for m in wb.sheets_metadata
                   if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet]
        if not (visible or names):
            raise SheetError("文件中没有工作表")
        name = (visible or names)[0]
    ws = wb.get_sheet_by_name(name)
    return ws, name


def main(argv: list[str]) -> int:
    fmt, sheet, memory_mb, cpu_s = argv[0], argv[1] or None, int(argv[2]), int(argv[3])
    path = argv[4] if len(argv) > 4 else None
    out = sys.stdout.buffer
    _limit(memory_mb, cpu_s)
    from yikatong.core.faults import fault_point

    fault_point("sheets.child.parse")  # crash tests: tests/security/test_parser_kill.py
    if os.environ.get("YKT_FAULT") == "sheets.child.hang":  # timeout tests: sleeps instead of parsing
        time.sleep(3600)
    from .cells import SheetError

    try:
        ws, name = _open(fmt, sheet, path)
        _send(out, ("meta", name, ws.height))
        chunk = []
        for row in ws.iter_rows():
            chunk.append(row)
            if len(chunk) >= CHUNK:
                _send(out, ("rows", chunk))
                chunk = []
        if chunk:
            _send(out, ("rows", chunk))
        _send(out, ("end",))
    except SheetError as exc:
        _send(out, ("error", exc.code, {"message": exc.message, **exc.params}))
        return 2
    except MemoryError:
        _send(out, ("error", "PARSER_MEMORY", {}))
        return 3
    except BrokenPipeError:
        return 4  # the parent stopped reading (it closed the sheet early)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
