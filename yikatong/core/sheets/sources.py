"""Opening a spreadsheet: format from the first bytes, CSV encoding and delimiter detection."""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .cells import Column, SheetError
from .reader import HEADER_SEARCH_ROWS, Sheet, SheetReader

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _binary(source) -> tuple[BinaryIO, callable]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(source)), lambda: None
    if isinstance(source, (str, Path)):
        f = open(source, "rb")
        return f, f.close
    if hasattr(source, "read"):
        if hasattr(source, "seekable") and source.seekable():
            return source, lambda: None
        return io.BytesIO(source.read()), lambda: None
    raise TypeError(f"cannot read a spreadsheet from {type(source).__name__}")


def detect_encoding(f: BinaryIO) -> str:
    """"utf-8-sig", "utf-16" or "utf-8" when the whole file is valid UTF-8, else "gb18030"."""
    return _scan(f)[0]


def _scan(f: BinaryIO) -> tuple[str, int]:
    """(encoding, number of lines): one pass over the file, which is left where it was."""
    start = f.tell()
    head = f.read(4)
    f.seek(start)
    lines = 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding = "utf-8"
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, decoder = "utf-16", None
    try:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
            if decoder is not None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    encoding, decoder = "gb18030", None
        if decoder is not None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                encoding = "gb18030"
    finally:
        f.seek(start)
    return encoding, lines


def _csv_rows(f: BinaryIO, encoding: str) -> Iterator[list]:
    text = io.TextIOWrapper(f, encoding=encoding, newline="", errors="strict")
    sample = text.read(64 * 1024)
    text.seek(0)
    first_lines = sample.splitlines()[:HEADER_SEARCH_ROWS]
    counts = {d: sum(line.count(d) for line in first_lines) for d in (",", "\t", ";")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    try:
        yield from csv.reader(text, delimiter=delimiter)
    except UnicodeDecodeError as exc:
        raise SheetError(f"文件编码无法识别（按 {encoding} 读取失败），请另存为 UTF-8 或 .xlsx 后重试") from exc
    finally:
        text.detach()


def _workbook_rows(f: BinaryIO, fmt: str, sheet: str | None) -> tuple[Iterator[list], str, int]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        wb = CalamineWorkbook.from_filelike(f)
    except Exception as exc:  # calamine raises its own types for zip/xml/password errors
        raise SheetError(f"无法打开这个{fmt}文件（{type(exc).__name__}）：文件可能已损坏或设置了密码，请用Excel打开后另存再试") from exc
    names = list(wb.sheet_names)
    if sheet is not None:
        if sheet not in names:
            raise SheetError(f"文件中没有名为“{sheet}”的工作表（现有：{'、'.join(names)}）")
        name = sheet
    else:
        visible = [
            m.name for m in wb.sheets_metadata
            if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet
        ]
        if not (visible or names):
            raise SheetError("文件中没有工作表")
        name = (visible or names)[0]
    ws = wb.get_sheet_by_name(name)
    return iter(ws.iter_rows()), name, ws.height


def open_sheet(
    source,
    columns: Iterable[Column],
    *,
    filename: str | None = None,
    sheet: str | None = None,
    header_search_rows: int = HEADER_SEARCH_ROWS,
) -> SheetReader:
    """Open a spreadsheet (bytes, a path, or a binary file) and find its header row.

    The format is taken from the file's first bytes (xlsx = zip, xls = OLE), else CSV;
    `filename` only improves messages. Raises SheetError for a file that cannot be used at all.
    """
    f, closer = _binary(source)
    try:
        start = f.tell()
        magic = f.read(8)
        f.seek(start)
        label = Path(filename).suffix.lower() if filename else ""
        if magic.startswith(_XLSX_MAGIC) or magic == _XLS_MAGIC:
            fmt = "xlsx" if magic.startswith(_XLSX_MAGIC) else "xls"
            raw, name, height = _workbook_rows(f, "." + fmt, sheet)
            return SheetReader(raw, columns, fmt=fmt, encoding=None, sheet_name=name,
                               header_search_rows=header_search_rows, closer=closer, row_count_hint=height)
        if magic.lstrip().startswith(b"<"):
            raise SheetError("这个文件实际是网页（HTML）格式，不是真正的表格；请用Excel打开后“另存为”.xlsx再上传")
        if label in (".xlsx", ".xls") and b"\x00" in magic and not magic.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise SheetError(f"无法识别这个{label}文件，文件可能已损坏；请用Excel打开后另存再试")
        encoding, lines = _scan(f)
        return SheetReader(_csv_rows(f, encoding), columns, fmt="csv", encoding=encoding, sheet_name=None,
                           header_search_rows=header_search_rows, closer=closer, row_count_hint=lines)
    except BaseException:
        closer()
        raise


def read_sheet(source, columns: Iterable[Column], **kwargs) -> Sheet:
    """Read a whole sheet into memory (see open_sheet)."""
    with open_sheet(source, columns, **kwargs) as reader:
        rows = list(reader)
        return Sheet(
            rows=rows, totals=reader.totals, header_line=reader.header_line, headers=dict(reader.headers),
            title_lines=reader.title_lines, trailer_lines=reader.trailer_lines, errors=reader.errors,
            format=reader.format, encoding=reader.encoding, sheet_name=reader.sheet_name,
        )
