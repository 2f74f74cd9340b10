"""Unit tests of the xlsx pre-check (zipfile only, before any parser) and of the parser child."""
import io
import zipfile

import pytest

from tests.security.hostile import bomb_xlsx, far_cell_xlsx, sheet_xml, xlsx
from yikatong.core.sheets import Column, SheetError, read_sheet
from yikatong.core.sheets.limits import Limits
from yikatong.core.sheets.xlsxcheck import check_xlsx, dimension_of

HEADER = ["姓名", "身份证号码"]
SPEC = [Column("姓名", required=True), Column("身份证号码", required=True, kind="identifier")]


def code_of(data: bytes, limits: Limits | None = None) -> str | None:
    try:
        check_xlsx(io.BytesIO(data), limits)
    except SheetError as exc:
        return exc.code
    return None


def test_a_plain_workbook_passes_and_the_file_is_left_where_it_was():
    f = io.BytesIO(xlsx(sheet_xml([HEADER, ["张三", "1"]], dimension="A1:B2")))
    f.seek(0)
    check_xlsx(f)
    assert f.tell() == 0


@pytest.mark.parametrize("ref, dims", [("A1", (1, 1)), ("A1:B2", (2, 2)), ("C5:F10", (10, 6)),
                                       ("A1:XFD1048576", (1048576, 16384)), ("$A$1:$AA$3", (3, 27))])
def test_dimension_of(ref, dims):
    assert dimension_of(ref) == dims


def test_far_cell_with_its_declared_dimension_is_refused_before_parsing():
    assert code_of(far_cell_xlsx(HEADER)) == "XLSX_DIMENSION"


@pytest.mark.parametrize("ref, limits", [
    ("A1:GS10", Limits()),                       # 201 columns
    ("A1:B2000000", Limits()),                   # beyond Excel's rows: forged
    ("A1:J1000", Limits(max_cells=9_999)),        # 10,000 cells over a 9,999-cell limit
])
def test_dimension_limits(ref, limits):
    assert code_of(xlsx(sheet_xml([HEADER], dimension=ref)), limits) == "XLSX_DIMENSION"


def test_dimension_within_limits_passes():
    assert code_of(xlsx(sheet_xml([HEADER], dimension="A1:GR1048576")), Limits(max_cells=10**9)) is None


def test_zip_bomb_is_refused_by_its_compression_ratio():
    data = bomb_xlsx(HEADER, inflated_mb=50)
    assert len(data) < 200_000
    assert code_of(data) == "XLSX_BOMB"


def test_declared_uncompressed_total_over_the_limit_is_refused():
    data = bomb_xlsx(HEADER, inflated_mb=20)
    assert code_of(data, Limits(max_uncompressed=10 * 1024 * 1024, max_ratio=10**6)) == "XLSX_BOMB"


def test_missing_parts_and_broken_zips_are_invalid():
    assert code_of(xlsx(sheet_xml([HEADER]), omit=("xl/workbook.xml",))) == "XLSX_INVALID"
    assert code_of(xlsx(sheet_xml([HEADER]), omit=("xl/worksheets/sheet1.xml",))) == "XLSX_INVALID"
    assert code_of(b"PK\x03\x04" + b"\x00" * 200) == "XLSX_INVALID"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    assert code_of(buf.getvalue()) == "XLSX_INVALID"


def test_the_reader_refuses_hostile_workbooks_with_codes():
    with pytest.raises(SheetError) as bomb:
        read_sheet(bomb_xlsx(HEADER, inflated_mb=200), SPEC, filename="bomb.xlsx")
    assert bomb.value.code == "XLSX_BOMB"
    with pytest.raises(SheetError) as far:
        read_sheet(far_cell_xlsx(HEADER), SPEC, filename="far.xlsx")
    assert far.value.code == "XLSX_DIMENSION"


def test_a_far_cell_without_a_declared_dimension_stops_only_the_parser_child():
    """No <dimension>: the pre-check cannot see it; calamine allocates 1048576 x 16384 cells and
    aborts - in the child, whose memory limit turns it into PARSER_MEMORY here."""
    with pytest.raises(SheetError) as exc:
        read_sheet(far_cell_xlsx(HEADER, with_dimension=False), SPEC, filename="far.xlsx")
    assert exc.value.code in ("PARSER_MEMORY", "PARSER_CRASHED")
    sheet = read_sheet(xlsx(sheet_xml([HEADER, ["张三", "14102419500101001X"]])), SPEC, filename="ok.xlsx")
    assert [r.values for r in sheet.rows] == [{"姓名": "张三", "身份证号码": "14102419500101001X"}]


def test_formula_cells_are_read_as_values_never_evaluated():
    """A formula cell holds no cached value: the parser returns it empty; a text cell that looks
    like a formula stays text."""
    from tests.security.hostile import formula_xlsx

    data = formula_xlsx(HEADER, [["=cmd|' /C calc'!A0", "1"]], {"A3": "cmd|' /C calc'!A0"})
    sheet = read_sheet(data, SPEC, filename="f.xlsx")
    assert [r.values["姓名"] for r in sheet.rows] == ["=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("data, code, line", [
    (b"\xe5\xa7\x93\xe5\x90\x8d,x\r\n\xff\xfe\xfd\xfc,1\r\n", "CSV_ENCODING", 2),
    ("姓名,身份证号码\r\n张三,1\r\n李\x00四,2\r\n".encode(), "CSV_NUL", 3),
])
def test_csv_bad_bytes_name_their_line(data, code, line):
    with pytest.raises(SheetError) as exc:
        read_sheet(data, SPEC, filename="a.csv")
    assert exc.value.code == code and exc.value.params["line"] == line


def test_gbk_csv_still_reads():
    data = "姓名,身份证号码\r\n张三,14102419500101001X\r\n".encode("gbk")
    assert read_sheet(data, SPEC, filename="a.csv").rows[0].values["姓名"] == "张三"
