"""The columns a caller asks for, and turning one raw cell into normalised text."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from yikatong.core.refusals import Refusal

KINDS = ("text", "compact", "identifier", "number", "date")
# An Excel cell keeps 15 significant digits: a longer number has lost its last digits.
_EXACT_LIMIT = 10**15
WS = re.compile(r"\s+")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d*)?E[+-]?\d+$", re.IGNORECASE)
_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_NO_SPACES = frozenset({"compact", "identifier", "number", "date"})


class SheetError(Refusal, ValueError):
    """The file as a whole cannot be read (format, encoding, header, a crashed parser). The message
    is for the user; `code` is stable (SHEET_INVALID for the legacy messages; codes in codes.py)."""

    default_code = "SHEET_INVALID"


@dataclass(frozen=True)
class Column:
    """A column the caller wants. `name` is canonical; `aliases` are other header texts for it.

    kind: "text" (spaces trimmed, inner runs of spaces made one), "compact" (all spaces removed:
    names, codes), "identifier" (compact; a number that lost digits is an error), "number"
    (exact decimal text), "date" (ISO "YYYY-MM-DD"; an unreadable date is an error).
    `data=False` marks a column such as 序号 whose value alone does not make a row non-empty.
    """

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    kind: str = "text"
    data: bool = True

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class CellError:
    """A problem with one cell: row number in the file, header as written, value as written,
    and a message naming the column and the value."""

    line: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行 {self.message}"


@dataclass(slots=True)
class SheetRow:
    line: int  # 1-based row number in the file, as Excel shows it
    values: dict[str, str]  # canonical column name -> normalised text, "" when empty or absent
    errors: list[CellError] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name) or default


def header_key(text: str) -> str:
    """How header cells and aliases are compared: NFKC, no spaces or markers, lower case."""
    return WS.sub("", unicodedata.normalize("NFKC", str(text))).lower().strip("*※:")


def norm(value: str) -> str:
    """NFKC (full-width digits, letters, spaces) and trimmed."""
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return value.strip()


def number_text(value: float) -> str:
    """A numeric cell as exact decimal text: 3.0 -> "3", 12.3 -> "12.3" (no float noise)."""
    if value == int(value) and abs(value) < _EXACT_LIMIT:
        return str(int(value))
    d = Decimal(repr(value))
    if d.as_tuple().exponent < -10:
        d = d.quantize(Decimal("1e-10"))
    return format(d.normalize(), "f")


def excel_shape(value: float) -> str:
    """What Excel shows for a long number in a General cell: 1.41024E+17."""
    mantissa, exponent = f"{value:.5E}".split("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}E+{int(exponent):02d}" if int(exponent) >= 0 else f"{mantissa}E{exponent}"


def damaged_message(header: str, shown: str) -> str:
    return (
        f"{header}“{shown}”被表格软件存成了数字（科学计数法），末几位已丢失，无法恢复；"
        f"请把该列单元格格式设置为“文本”后重新填写{header}"
    )


def parse_date_text(text: str) -> dt.date | None:
    """2026-01-31, 2026/1/31, 2026.1.31, 2026年1月31日, 20260131; None otherwise."""
    t = WS.sub("", text)
    m = _DATE_TEXT.match(t)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    elif len(t) == 8 and t.isdigit():
        y, mo, d = int(t[:4]), int(t[4:6]), int(t[6:])
    else:
        return None
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def _text_cell(kind: str, header: str, raw: str, line: int, errors: list[CellError]) -> str:
    text = raw.strip() if raw.isascii() else unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return ""
    if " " in text or "\t" in text or "\n" in text or "\r" in text:
        text = WS.sub("" if kind in _NO_SPACES else " ", text)
    if kind == "identifier":
        if text.startswith('="') and text.endswith('"'):  # CSV exports that force text: ="0123"
            text = text[2:-1]
        text = text.lstrip("'")
        if _SCIENTIFIC.match(text):
            errors.append(CellError(line, header, text, damaged_message(header, text)))
            return ""
    elif kind == "date":
        parsed = parse_date_text(text)
        if parsed is None:
            errors.append(CellError(line, header, text, f"{header}“{text}”不是有效的日期，请写成2026-01-31的形式"))
            return ""
        return parsed.isoformat()
    return text


def _numeric_cell(kind: str, header: str, value: float, line: int, errors: list[CellError]) -> str:
    if kind == "identifier" and (abs(value) >= _EXACT_LIMIT or value != int(value)):
        shown = excel_shape(value) if abs(value) >= _EXACT_LIMIT else number_text(value)
        errors.append(CellError(line, header, shown, damaged_message(header, shown)))
        return ""
    if kind == "date":
        if 1 <= value < 2958466:  # an Excel serial date in a cell without a date format
            return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).isoformat()
        shown = number_text(value)
        errors.append(CellError(line, header, shown, f"{header}“{shown}”不是有效的日期"))
        return ""
    return number_text(value)


def convert(kind: str, header: str, raw, line: int, errors: list[CellError]) -> str:
    """One cell (str, float, int, bool, date, datetime or None) as normalised text."""
    if raw is None or raw == "":
        return ""
    if isinstance(raw, str):
        return _text_cell(kind, header, raw, line, errors)
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, (int, float)):
        return _numeric_cell(kind, header, float(raw), line, errors)
    if isinstance(raw, dt.datetime):
        if kind == "date" or raw.time() == dt.time():
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return norm(str(raw))


class RowMapper:
    """Turns one raw row (a list of cells) into canonical values and cell errors."""

    def __init__(self, spec: Sequence[Column], positions: dict[str, int], headers: dict[str, str]):
        self.items = [(c.name, c.kind, positions[c.name], headers[c.name]) for c in spec if c.name in positions]
        self.absent = [c.name for c in spec if c.name not in positions]

    def row(self, cells: list, line: int) -> SheetRow:
        errors: list[CellError] = []
        values = dict.fromkeys(self.absent, "")
        n = len(cells)
        for name, kind, pos, header in self.items:
            raw = cells[pos] if pos < n else None
            if type(raw) is str:
                values[name] = _text_cell(kind, header, raw, line, errors) if raw else ""
            else:
                values[name] = convert(kind, header, raw, line, errors)
        return SheetRow(line, values, errors)


def cell_text(raw) -> str:
    """A cell as compact text, for recognising totals, signatures and empty rows."""
    if raw is None or raw == "":
        return ""
    if isinstance(raw, float):
        return number_text(raw)
    return WS.sub("", unicodedata.normalize("NFKC", str(raw)))


def first_text(cells: list) -> str:
    """The first non-empty cell as compact text (to recognise totals and signature lines)."""
    for raw in cells:
        if raw is None or raw == "":
            continue
        if isinstance(raw, str):
            text = raw.strip()
            if not text:
                continue
            if text.isascii():
                return text
            text = WS.sub("", unicodedata.normalize("NFKC", text))
            if text:
                return text
            continue
        return cell_text(raw)
    return ""


def line_text(cells: list) -> str:
    """A whole row as one line of text (title and signature lines)."""
    parts = (norm(c) if isinstance(c, str) else cell_text(c) for c in cells)
    return " ".join(p for p in parts if p)


def col_letter(pos: int) -> str:
    """0 -> "A", 26 -> "AA"."""
    letters = ""
    pos += 1
    while pos:
        pos, rem = divmod(pos - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
