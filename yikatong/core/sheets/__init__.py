"""Reading the spreadsheets that townships and agencies really have (.xlsx, .xls, .csv).

The caller describes the columns it wants (canonical name -> aliases, required or not, kind);
the reader finds the header row among the first lines (title lines above it are kept), skips
empty rows, returns a totals row (合计/总计) separately, stops at signature lines
(经办人：… 审核人：…), normalises full-width characters and spaces (NFKC), turns numbers
stored as text or text stored as numbers into plain text, reports an identifier that a
spreadsheet stored as a number (1.41024E+17: its last digits are lost) as an error, and keeps
each row's row number in the file. CSV may be UTF-8 (with or without BOM), UTF-16 (with BOM)
or GB18030/GBK; the encoding is detected. Rows are streamed, so a million-row CSV is read in
constant memory:

    spec = [Column("姓名", ("户主姓名",), required=True, kind="compact"),
            Column("身份证号码", ("身份证号",), required=True, kind="identifier")]
    with open_sheet(path_or_bytes_or_file, spec, filename="清册.xlsx") as sheet:
        for row in sheet:                 # SheetRow(line=5, values={"姓名": "张三", ...}, errors=[])
            ...
        sheet.totals                      # SheetRow of the 合计 row, or None (after the loop)

`read_sheet(...)` reads everything at once into a `Sheet`. Header cells that name no requested column
are ignored and listed in `sheet.unknown_headers` (callers report them as a warning, SHEET_COLUMNS_UNKNOWN);
a required column that is missing is the refusal SHEET_COLUMN_MISSING, naming it and its aliases.
"""
from .cells import CellError, Column, SheetError, SheetRow, header_key
from .reader import HEADER_SEARCH_ROWS, Sheet, SheetReader, accepted_names
from .sources import detect_encoding, open_sheet, read_sheet

__all__ = [
    "CellError", "Column", "HEADER_SEARCH_ROWS", "accepted_names", "Sheet", "SheetError", "SheetReader", "SheetRow",
    "detect_encoding", "header_key", "open_sheet", "read_sheet",
]
