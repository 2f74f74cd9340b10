"""The xlsx pre-check: what the zip declares, read with the zipfile module only, before any parser
sees the file. A sheet XML that inflates to gigabytes (a "zip bomb") or declares a range such as
A1:XFD1048576 (a native parser allocates rows x columns cells for it and aborts) is refused with a
clear code; a file that lies in its declarations is still stopped by the parser child's limits.

    XLSX_INVALID    not a zip, or without [Content_Types].xml / xl/workbook.xml / a worksheet
    XLSX_BOMB       declared uncompressed total, or one member's compression ratio, over the limit
    XLSX_DIMENSION  a worksheet's <dimension ref=...> over the rows / columns / cells limits
"""
from __future__ import annotations

import re
import zipfile
from typing import BinaryIO

from . import codes  # noqa: F401 - registers the messages
from .cells import SheetError
from .limits import MB, Limits, current

REQUIRED = ("[Content_Types].xml", "xl/workbook.xml")
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([A-Za-z0-9:$]+)[\"']")
_CELL = re.compile(r"^\$?([A-Za-z]{1,4})\$?(\d{1,8})$")
_HEAD_BYTES = 16 * 1024  # <dimension> comes right after <sheetPr> at the top of a worksheet


def _cell(ref: str) -> tuple[int, int] | None:
    m = _CELL.match(ref)
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def dimension_of(ref: str) -> tuple[int, int] | None:
    """Rows and columns a range spans from A1 to its far corner ("A1:XFD1048576" -> (1048576, 16384))."""
    ends = [_cell(p) for p in ref.split(":") if p]
    if not ends or any(e is None for e in ends):
        return None
    return max(e[0] for e in ends), max(e[1] for e in ends)


def check_xlsx(f: BinaryIO, limits: Limits | None = None) -> None:
    """Raise SheetError (XLSX_INVALID / XLSX_BOMB / XLSX_DIMENSION) or return; `f` is left where it was."""
    lim = limits or current()
    start = f.tell()
    try:
        try:
            z = zipfile.ZipFile(f)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
            raise SheetError("XLSX_INVALID", reason="不是有效的压缩包") from exc
        with z:
            infos = z.infolist()
            _check_sizes(infos, lim)
            names = {i.filename for i in infos}
            missing = [n for n in REQUIRED if n not in names]
            sheets = [i for i in infos if _WORKSHEET.match(i.filename)]
            if missing or not sheets:
                raise SheetError("XLSX_INVALID", reason="缺少" + "、".join(missing or ["工作表"]))
            for info in sheets:
                _check_dimension(z, info, lim)
    finally:
        f.seek(start)


def _check_sizes(infos: list[zipfile.ZipInfo], lim: Limits) -> None:
    if len(infos) > lim.max_members:
        raise SheetError("XLSX_BOMB", detail=f"含 {len(infos)} 个部件")
    total = sum(i.file_size for i in infos)
    if total > lim.max_uncompressed:
        raise SheetError("XLSX_BOMB", detail=f"共 {total // MB} MB，上限 {lim.max_uncompressed // MB} MB")
    for i in infos:
        if i.file_size >= lim.ratio_floor and i.file_size > lim.max_ratio * max(i.compress_size, 1):
            ratio = i.file_size // max(i.compress_size, 1)
            raise SheetError("XLSX_BOMB", detail=f"部件 {i.filename[:60]} 压缩比 {ratio}:1，上限 {lim.max_ratio}:1")


def _check_dimension(z: zipfile.ZipFile, info: zipfile.ZipInfo, lim: Limits) -> None:
    try:
        with z.open(info) as member:
            head = member.read(_HEAD_BYTES)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        # RuntimeError: encrypted member; NotImplementedError: unknown compression
        raise SheetError("XLSX_INVALID", reason="工作表无法解压") from exc
    except Exception as exc:  # noqa: BLE001 - zlib.error and friends: a damaged member
        raise SheetError("XLSX_INVALID", reason="工作表无法解压") from exc
    m = _DIMENSION.search(head)
    if not m:
        return  # no declared range: the parser child's memory and time limits still apply
    ref = m.group(1).decode("ascii")
    dims = dimension_of(ref)
    if dims is None:
        raise SheetError("XLSX_INVALID", reason=f"工作表范围“{ref[:30]}”无法识别")
    rows, cols = dims
    if rows > lim.max_rows or cols > lim.max_columns or rows * cols > lim.max_cells:
        sheet = info.filename.rsplit("/", 1)[-1].removesuffix(".xml")
        raise SheetError("XLSX_DIMENSION", sheet=sheet, ref=ref, rows=rows, columns=cols, max_rows=lim.max_rows,
                         max_columns=lim.max_columns, max_cells=lim.max_cells)
