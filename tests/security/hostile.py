"""Hostile files, generated in the test (nothing checked in): a sparse xlsx with a far cell, a
zip bomb whose sheet inflates to hundreds of MB, a CSV with invalid bytes or NUL, formula cells."""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def sheet_xml(rows: list[list[str]], *, dimension: str | None = None, extra_cells: str = "") -> str:
    body = []
    for i, row in enumerate(rows, start=1):
        cells = "".join(f'<c r="{col(j)}{i}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                        for j, v in enumerate(row, start=1) if v != "")
        body.append(f'<row r="{i}">{cells}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{_HEAD}{dim}<sheetData>{''.join(body)}{extra_cells}</sheetData></worksheet>"


def xlsx(sheet: str | bytes, *, parts: dict[str, str | bytes] | None = None, omit: tuple[str, ...] = ()) -> bytes:
    """A minimal, valid xlsx package around one sheet's XML."""
    members = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK,
               "xl/_rels/workbook.xml.rels": WORKBOOK_RELS, "xl/worksheets/sheet1.xml": sheet, **(parts or {})}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in members.items():
            if name not in omit:
                z.writestr(name, data)
    return buf.getvalue()


def far_cell_xlsx(header: list[str], *, with_dimension: bool = True) -> bytes:
    """A header row and one cell at XFD1048576 (the last cell of a sheet): ~1.7 KB."""
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return xlsx(sheet_xml([header], dimension="A1:XFD1048576" if with_dimension else None, extra_cells=far))


def bomb_xlsx(header: list[str], *, inflated_mb: int = 300) -> bytes:
    """A small xlsx whose sheet XML inflates to `inflated_mb` MB (padding whitespace compresses ~1000:1)."""
    head = sheet_xml([header]).encode()
    cut = head.index(b"</sheetData>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK,
                           "xl/_rels/workbook.xml.rels": WORKBOOK_RELS}.items():
            z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(head[:cut])
            pad = b" " * (1 << 20)
            for _ in range(inflated_mb):
                f.write(pad)
            f.write(head[cut:])
    return buf.getvalue()


def formula_xlsx(header: list[str], rows: list[list[str]], formula_cells: dict[str, str]) -> bytes:
    """Rows as text plus real formula cells (<f>) at the given references, e.g. {"A3": "cmd|' /C calc'!A0"}."""
    extra = "".join(f'<row r="{ref[1:]}"><c r="{ref}"><f>{escape(f)}</f></c></row>' for ref, f in formula_cells.items())
    return xlsx(sheet_xml([header, *rows], extra_cells=extra))


def csv_bytes(rows: list[list[str]], *, encoding: str = "utf-8") -> bytes:
    return "".join(",".join(r) + "\r\n" for r in rows).encode(encoding)
