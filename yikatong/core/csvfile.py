"""Writing CSV for people to open in a spreadsheet: a cell that begins with = + - @ or a tab / carriage
return is prefixed with a single quote (OWASP "CSV injection"), so Excel or WPS shows it as text and
never runs it as a formula. Every CSV the system writes goes through `csv_writer` (a test checks)."""
import csv
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value to write: strings that a spreadsheet would read as a formula get a leading quote;
    numbers and other values are written as they are (a negative number is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row: Iterable):
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **kwargs) -> _SafeWriter:
    """`csv.writer(stream, **kwargs)` whose every cell goes through `safe_cell`."""
    return _SafeWriter(csv.writer(stream, **kwargs))
