"""Writing spreadsheets (xlsxwriter): a title row, a header row, data rows, optional footer lines."""
import io
from collections.abc import Iterable, Sequence

import xlsxwriter


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    title: str | None = None,
    sheet_name: str = "Sheet1",
    footer: Sequence[str] = (),
    text_columns: Sequence[int] = (),
) -> bytes:
    """Return the bytes of an .xlsx file. Columns listed in `text_columns` are written as
    text (ID and account numbers must never become numbers in Excel). Every string is written as a
    string: a name beginning with = + - @ is never a formula, a URL never a link (formula injection
    into whoever opens the export, public notices included)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    ws = wb.add_worksheet(sheet_name[:31])
    bold = wb.add_format({"bold": True, "border": 1, "bg_color": "#F2F2F2"})
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    text_fmt = wb.add_format({"num_format": "@"})
    r = 0
    if title:
        ws.write(r, 0, title, title_fmt)
        r += 1
    ws.write_row(r, 0, list(headers), bold)
    r += 1
    text_cols = set(text_columns)
    widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
    for row in rows:
        for c, value in enumerate(row):
            if value is None:
                continue
            if c in text_cols:
                ws.write_string(r, c, str(value), text_fmt)
            else:
                ws.write(r, c, value)
            if c < len(widths):
                widths[c] = min(40, max(widths[c], len(str(value)) + 2))
        r += 1
    for line in footer:
        r += 1
        ws.write(r, 0, line)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    wb.close()
    return buf.getvalue()
