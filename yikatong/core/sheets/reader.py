"""Finding the header row of a sheet and streaming its data rows."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from . import codes  # noqa: F401 - registers the messages
from .cells import (
    WS,
    CellError,
    Column,
    RowMapper,
    SheetError,
    SheetRow,
    col_letter,
    first_text,
    header_key,
    line_text,
    norm,
)

HEADER_SEARCH_ROWS = 10


def accepted_names(columns) -> str:
    """“姓名”（也可写作：户主姓名、名称）；… — a column and the header names it is accepted under."""
    return "；".join(
        f"“{c.name}”" + (f"（也可写作：{'、'.join(c.aliases)}）" if c.aliases else "") for c in columns
    )
_PAREN = re.compile(r"\([^)]*\)")
_TOTALS = ("合计", "总计")
_SUBTOTAL = "小计"
# A signature or note line: the keyword alone in its cell, or followed by a colon.
_SIGNATURE = re.compile(
    r"^(经办人|审核人|复核人|审批人|制表人|填表人|填报人|负责人|单位负责人|主要负责人|主管领导|分管领导|财政所长|"
    r"监督人|记账|出纳|会计|制表|填表|审核|审批|日期|填报日期|制表日期|签字|签章|盖章|注|说明|备注)"
    r"([:：].*)?$"
)


@dataclass
class Sheet:
    """A whole sheet read into memory (see read_sheet)."""

    rows: list[SheetRow]
    totals: SheetRow | None
    header_line: int
    headers: dict[str, str]
    title_lines: list[str]
    trailer_lines: list[str]
    errors: list[CellError]
    format: str
    encoding: str | None
    sheet_name: str | None
    unknown_headers: list[str] = field(default_factory=list)


class SheetReader:
    """An open sheet whose header row was found; iterate it for the data rows.

    `row_count_hint` is the number of lines in the file (known before reading; for progress).
    `unknown_headers`: the header cells (as written) that name no column the caller asked for — ignored,
    for the caller to report (a warning, never a failure). A missing required column is the refusal
    SHEET_COLUMN_MISSING naming the column and its accepted names; no header at all SHEET_HEADER_NOT_FOUND.
    After the iteration: `totals` (the 合计/总计 row or None), `trailer_lines` (signatures,
    notes), `subtotal_lines` (小计 rows skipped) and `errors` (rows that look like data after
    the totals or a signature line: they are not returned and must not be ignored silently).
    """

    def __init__(self, raw_rows: Iterator[list], spec: Sequence[Column], *, fmt: str, encoding: str | None,
                 sheet_name: str | None, header_search_rows: int = HEADER_SEARCH_ROWS, closer=None,
                 row_count_hint: int | None = None):
        self.format, self.encoding, self.sheet_name = fmt, encoding, sheet_name
        self.row_count_hint = row_count_hint  # lines in the file, for progress bars
        self.spec = list(spec)
        if len({c.name for c in self.spec}) != len(self.spec):
            raise ValueError("duplicate canonical column names")
        self._raw, self._closer = raw_rows, closer
        self.title_lines: list[str] = []
        self.trailer_lines: list[str] = []
        self.subtotal_lines: list[int] = []
        self.errors: list[CellError] = []
        self.totals: SheetRow | None = None
        self.unknown_headers: list[str] = []
        self._find_header(header_search_rows)

    # ---- header ------------------------------------------------------------------------

    def _find_header(self, limit: int) -> None:
        lookup: dict[str, Column] = {}
        for col in self.spec:
            for label in col.labels:
                lookup.setdefault(header_key(label), col)
        seen: list[list] = []
        best = None
        for cells in self._raw:
            seen.append(cells)
            line = len(seen)
            positions, headers, unknown = self._match(cells, lookup, line)
            missing = [c for c in self.spec if c.required and c.name not in positions]
            if positions and not missing:
                self.header_line, self.headers, self._positions = line, headers, positions
                self.unknown_headers = unknown
                self.title_lines = [t for c in seen[:-1] if (t := line_text(c))]
                return
            if positions and (best is None or len(positions) > best[1]):
                best = (line, len(positions), missing)
            if line >= limit:
                break
        if not seen:
            raise SheetError("文件是空的，没有任何内容")
        if best is None:
            wanted = "".join(f"“{c.name}”" for c in self.spec if c.required)
            raise SheetError("SHEET_HEADER_NOT_FOUND", limit=limit, wanted=wanted)
        line, _, missing = best
        raise SheetError("SHEET_COLUMN_MISSING", line=line, columns=accepted_names(missing),
                         missing=[c.name for c in missing])

    def _match(self, cells: list, lookup: dict[str, Column], line: int
               ) -> tuple[dict[str, int], dict[str, str], list[str]]:
        positions: dict[str, int] = {}
        headers: dict[str, str] = {}
        unknown: list[str] = []
        for pos, raw in enumerate(cells):
            if not isinstance(raw, str) or not raw.strip():
                continue
            key = header_key(raw)
            col = lookup.get(key) or lookup.get(_PAREN.sub("", key))
            if col is None:
                unknown.append(WS.sub("", norm(raw)))
                continue
            if col.name in positions:
                a, b = col_letter(positions[col.name]), col_letter(pos)
                raise SheetError(f"第{line}行表头中“{col.name}”列出现了两次（第{a}列和第{b}列），请删除或改名其中一列")
            positions[col.name] = pos
            headers[col.name] = WS.sub("", norm(raw))
        return positions, headers, unknown

    # ---- rows --------------------------------------------------------------------------

    def __iter__(self) -> Iterator[SheetRow]:
        mapper = RowMapper(self.spec, self._positions, self.headers)
        data_names = [c.name for c in self.spec if c.data and c.name in self._positions]
        required = [c.name for c in self.spec if c.required]
        trailer = False  # after the totals row or a signature line nothing more is data
        line = self.header_line
        for cells in self._raw:
            line += 1
            first = first_text(cells)
            if not first:
                continue  # empty row
            if not first[0].isdigit():  # a 序号 or a number is never a totals or signature cell
                if first.startswith(_TOTALS) and self.totals is None and not trailer:
                    self.totals = mapper.row(cells, line)
                    trailer = True
                    continue
                if first.startswith(_SUBTOTAL) and not trailer:
                    self.subtotal_lines.append(line)
                    continue
                if _SIGNATURE.match(first):
                    trailer = True
                    self.trailer_lines.append(line_text(cells))
                    continue
            row = mapper.row(cells, line)
            values = row.values
            if not row.errors and not any(values[name] for name in data_names):
                if trailer:
                    self.trailer_lines.append(line_text(cells))
                continue  # only a 序号, or columns the caller did not ask for
            if trailer:
                if all(values[name] or any(e.column == self.headers.get(name) for e in row.errors) for name in required):
                    where = "“合计”行" if self.totals is not None else "签字/说明行"
                    self.errors.append(CellError(
                        line, "", "", f"这一行位于{where}之后，不会被导入；请把它移到{where}之前，或删除"
                    ))
                else:
                    self.trailer_lines.append(line_text(cells))
                continue
            yield row
        self.close()

    def close(self) -> None:
        if self._closer is not None:
            self._closer()
            self._closer = None

    def __enter__(self) -> SheetReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
