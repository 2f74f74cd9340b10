"""Streaming a register file through parsing, validation and chunked writes.

The caller (services) runs this inside a transaction and rolls it back unless `ok`: after
the first error nothing more is written, but the rest of the file is still checked so the
clerk gets every error at once.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from yikatong.core.crypto import Vault
from yikatong.core.sheets import CellError, SheetError, open_sheet
from yikatong.core.uploads import shown

from .register_format import COLUMNS, ID, RowParser
from .upsert import Counts, RegisterWriter
from .villages import VillageResolver

CHUNK = 5000
MAX_ERRORS = 500
_PEOPLE = re.compile(r"(\d+)\s*人")


@dataclass
class ImportOutcome:
    ok: bool
    rows: int = 0
    counts: Counts = field(default_factory=Counts)
    errors: list[CellError] = field(default_factory=list)  # the first MAX_ERRORS
    error_count: int = 0
    file_error: str = ""
    file_code: str = ""  # the SheetError's code (XLSX_BOMB, PARSER_CRASHED, CSV_ENCODING, ...)
    warnings: list[str] = field(default_factory=list)
    title: str = ""

    def summary(self) -> dict:
        return {"rows": self.rows, **self.counts.as_dict(), "errors": self.error_count, "warnings": self.warnings,
                "title": self.title}


def run_import(*, source, filename: str, register_import, actor, scope, vault: Vault, today: dt.date,
               progress: Callable[[int, int | None], None] | None = None) -> ImportOutcome:
    try:
        reader = open_sheet(source, COLUMNS, filename=filename)
    except SheetError as exc:
        return ImportOutcome(ok=False, file_error=shown(exc), file_code=exc.code, error_count=1)
    out = ImportOutcome(ok=False, title=reader.title_lines[0] if reader.title_lines else "")
    id_header = reader.headers.get(ID, ID)
    parser = RowParser(resolver=VillageResolver(scope), vault=vault, today=today, headers=reader.headers)
    writer = RegisterWriter(register_import=register_import, actor=actor, scope_prefix=scope.prefix, vault=vault,
                            today=today, id_header=id_header)
    total = reader.row_count_hint

    def add_errors(errs: list[CellError]) -> None:
        out.error_count += len(errs)
        out.errors.extend(errs[: max(0, MAX_ERRORS - len(out.errors))])

    chunk = []
    with reader:
        try:
            for row in reader:
                out.rows += 1
                parsed, errs = parser.parse(row)
                if errs:
                    add_errors(errs)
                elif not out.error_count:
                    chunk.append(parsed)
                if out.rows % CHUNK == 0:
                    if chunk and not out.error_count:
                        add_errors(writer.apply(chunk))
                    chunk = []
                    if progress:
                        progress(out.rows, max(total or 0, out.rows))
        except SheetError as exc:  # e.g. an encoding error deep in a CSV
            writer.close()
            out.file_error, out.file_code, out.error_count = shown(exc), exc.code, out.error_count + 1
            return out
        if chunk and not out.error_count:
            add_errors(writer.apply(chunk))
        writer.close()
        add_errors(reader.errors)
    if out.rows == 0 and not out.error_count:
        out.file_error, out.error_count = "文件中没有数据行", 1
        return out
    out.errors.sort(key=lambda e: e.line)
    if reader.totals is not None:
        stated = _PEOPLE.search(" ".join(reader.totals.values.values()))
        if stated and int(stated.group(1)) != out.rows:
            out.warnings.append(f"第{reader.totals.line}行合计为{stated.group(1)}人，但文件中有{out.rows}行数据")
    if not out.error_count:
        out.ok = True
    out.counts = writer.counts
    if progress:
        progress(out.rows, out.rows)
    return out
