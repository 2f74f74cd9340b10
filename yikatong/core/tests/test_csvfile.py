"""Issue 13: exports never attack their reader. Every CSV cell beginning with = + - @ or a tab/CR is
quoted as text (OWASP); every CSV writer and every xlsx writer in the code goes through the one
helper that does it (core/csvfile.py, core/xlsx.py)."""
import csv
import io
import re
import zipfile
from pathlib import Path

import pytest

from yikatong.core.csvfile import csv_writer, safe_cell
from yikatong.core.xlsx import write_xlsx

PACKAGE = Path(__file__).resolve().parents[2]
HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_like_csv_cell_is_written_as_text(value):
    buf = io.StringIO()
    csv_writer(buf, lineterminator="\r\n").writerows([["姓名"], [value]])
    cell = next(csv.reader(io.StringIO(buf.getvalue().split("\r\n", 1)[1])))[0]
    assert cell == "'" + value


def test_ordinary_cells_and_numbers_are_unchanged():
    assert [safe_cell(v) for v in ["张三", "141024199001011234", -5, 12.5, None, "a=b"]] == \
        ["张三", "141024199001011234", -5, 12.5, None, "a=b"]
    buf = io.StringIO()
    csv_writer(buf).writerows([["=1", 2]])
    assert buf.getvalue().strip() == "'=1,2"


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_like_xlsx_cell_is_a_string(value):
    data = write_xlsx(["姓名"], [[value]])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def _sources():
    for path in PACKAGE.rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path, path.read_text(encoding="utf-8")


# CSV that never leaves the process: rosters/county.py re-feeds each township's rows of a county file to
# the roster importer; formula-escaping them would change the data the importer checks. payments/upward_format.py
# writes the upward exchange file (docs/exchange/upward.md) for another system's parser, byte for byte as the
# contract says; a quote added before a leading "-" would change the data.
INTERNAL_CSV = {"rosters/county.py", "payments/upward_format.py"}


def test_every_csv_writer_goes_through_the_safe_helper():
    raw = [str(p.relative_to(PACKAGE)) for p, text in _sources()
           if re.search(r"csv\.(writer|DictWriter)\(", text) and p.name != "csvfile.py"]
    assert sorted(set(raw) - INTERNAL_CSV) == []


def test_every_xlsx_writer_goes_through_the_safe_helper():
    raw = [str(p.relative_to(PACKAGE)) for p, text in _sources()
           if re.search(r"^\s*(import xlsxwriter|from xlsxwriter)", text, re.M) and p.name != "xlsx.py"]
    assert raw == []
