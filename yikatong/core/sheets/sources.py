"""Opening a spreadsheet: format from the first bytes, CSV encoding and delimiter detection.

This is the one entry point for every spreadsheet the system reads: an xlsx is pre-checked
(xlsxcheck.py) and every workbook is parsed in a child process with memory and time limits
(isolated.py); a CSV is streamed line by line in this process, each line decoded and checked."""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .cells import Column, SheetError
from .isolated import workbook_rows
from .reader import HEADER_SEARCH_ROWS, Sheet, SheetReader
from .xlsxcheck import check_xlsx

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


MAX_LINE_BYTES = 1 << 20  # a CSV line longer than 1 MB is not a roster line (binary data, or no newlines)


def _csv_lines(f: BinaryIO, encoding: str) -> Iterator[str]:
    """Decoded lines, each checked: a line that does not decode, holds NUL or is absurdly long is
    refused naming its line number (CSV_ENCODING / CSV_NUL / CSV_LINE_TOO_LONG)."""
    if encoding == "utf-16":  # its newline is two bytes: decode as a stream, then check each line
        text = io.TextIOWrapper(f, encoding=encoding, newline="", errors="strict")
        line = 0
        try:
            for line, decoded in enumerate(text, start=1):
                if len(decoded) > MAX_LINE_BYTES:
                    raise SheetError("CSV_LINE_TOO_LONG", line=line, limit_kb=MAX_LINE_BYTES // 1024)
                if "\x00" in decoded:
                    raise SheetError("CSV_NUL", line=line)
                yield decoded
        except UnicodeDecodeError as exc:
            raise SheetError("CSV_ENCODING", line=line + 1, encoding=encoding) from exc
        finally:
            text.detach()
        return
    line = 0
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    while raw := f.readline(MAX_LINE_BYTES + 1):
        line += 1
        if len(raw) > MAX_LINE_BYTES:
            raise SheetError("CSV_LINE_TOO_LONG", line=line, limit_kb=MAX_LINE_BYTES // 1024)
        if line == 1 and encoding == "utf-8-sig":
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            decoded = raw.decode(codec)
        except UnicodeDecodeError as exc:
            raise SheetError("CSV_ENCODING", line=line, encoding=encoding) from exc
        if "\x00" in decoded:
            raise SheetError("CSV_NUL", line=line)
        yield decoded


def _delimiter(f: BinaryIO, encoding: str) -> str:
    start = f.tell()
    sample = f.read(64 * 1024)
    f.seek(start)
    first_lines = sample.decode(encoding, errors="replace").splitlines()[:HEADER_SEARCH_ROWS]
    counts = {d: sum(line.count(d) for line in first_lines) for d in (",", "\t", ";")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _csv_rows(f: BinaryIO, encoding: str) -> Iterator[list]:
    reader = csv.reader(_csv_lines(f, encoding), delimiter=_delimiter(f, encoding))
    try:
        yield from reader
    except csv.Error as exc:  # e.g. a field over csv.field_size_limit (128 KB)
        raise SheetError("CSV_INVALID", line=reader.line_num, reason=str(exc)[:80]) from exc


def _workbook_rows(f: BinaryIO, fmt: str, sheet: str | None) -> tuple[Iterator[list], str, int, callable]:
    """A workbook is pre-checked (xlsx: declared sizes and dimension) and then read by a child
    process with memory and time limits (isolated.py): a parser crash is a SheetError here."""
    if fmt == ".xlsx":
        check_xlsx(f)
    return workbook_rows(f, fmt, sheet)


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
            raw, name, height, stop = _workbook_rows(f, "." + fmt, sheet)
            try:
                return SheetReader(raw, columns, fmt=fmt, encoding=None, sheet_name=name,
                                   header_search_rows=header_search_rows, closer=_both(stop, closer),
                                   row_count_hint=height)
            except BaseException:
                stop()
                raise
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


def _both(first, second):
    def close():
        try:
            first()
        finally:
            second()
    return close


def read_sheet(source, columns: Iterable[Column], **kwargs) -> Sheet:
    """Read a whole sheet into memory (see open_sheet)."""
    with open_sheet(source, columns, **kwargs) as reader:
        rows = list(reader)
        return Sheet(
            rows=rows, totals=reader.totals, header_line=reader.header_line, headers=dict(reader.headers),
            title_lines=reader.title_lines, trailer_lines=reader.trailer_lines, errors=reader.errors,
            format=reader.format, encoding=reader.encoding, sheet_name=reader.sheet_name,
            unknown_headers=list(reader.unknown_headers),
        )
