"""The spreadsheet reader against the files townships really have (specs/roster-template.md)."""
import datetime as dt
import io
from pathlib import Path

import pytest
import xlsxwriter

from yikatong.core.sheets import Column, SheetError, open_sheet, read_sheet

FIXTURES = Path(__file__).parent / "fixtures"
SPEC = [
    Column("序号", data=False),
    Column("姓名", ("户主姓名", "补贴对象姓名"), required=True, kind="compact"),
    Column("身份证号码", ("身份证号", "公民身份号码"), required=True, kind="identifier"),
    Column("村(社区)", ("所属村", "村组"), required=True),
    Column("银行账号", ("社保卡号", "卡号"), kind="identifier"),
    Column("发放金额(元)", ("发放金额", "补贴金额"), kind="number"),
    Column("发放日期", kind="date"),
]
ID = "14102419900101123X"


def xlsx(rows, *, sheets=None, hidden_first=False) -> bytes:
    """rows: list of lists; a cell may be ("num", 1.5) to force a numeric cell, or a date."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    if hidden_first:
        wb.add_worksheet("说明").hide()
    for name, data in (sheets or {"Sheet1": rows}).items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(data):
            for c, v in enumerate(row):
                if isinstance(v, tuple):
                    ws.write_number(r, c, v[1])
                elif isinstance(v, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(v, dt.time()), date_fmt)
                elif v is not None:
                    ws.write_string(r, c, str(v))
    if hidden_first:
        wb.worksheets()[1].activate()
    wb.close()
    return buf.getvalue()


def csv_bytes(lines, encoding="utf-8") -> bytes:
    return "\r\n".join(",".join(cells) for cells in lines).encode(encoding)


ROSTER = [
    ["大槐树镇2026年耕地地力保护补贴发放清册"],
    ["填报单位：大槐树镇农业综合服务中心", "", "", "", "单位：元"],
    [],
    ["序号", "户主姓名 ", "公民身份号码", "村组", "社保卡号", "补贴金额", "发放日期"],
    ["1", "张　三", " １４１０２４１９９００１０１１２３Ｘ ", "第一村", "6228480012345671234", "１２０．５０", "2026/3/1"],
    [],
    ["2", "李四", ("num", 141024199001011232.0), "第一村", "6228480012345671234", ("num", 80.0), dt.date(2026, 3, 2)],
    ["3"],
    ["合计", "", "", "", "", ("num", 200.5)],
    [],
    ["经办人：王五", "", "审核人：赵六"],
]


def test_xlsx_title_rows_aliases_totals_signatures_and_row_numbers():
    sheet = read_sheet(xlsx(ROSTER), SPEC, filename="清册.xlsx")
    assert sheet.format == "xlsx" and sheet.header_line == 4
    assert sheet.title_lines[0] == "大槐树镇2026年耕地地力保护补贴发放清册"
    assert sheet.headers["姓名"] == "户主姓名" and sheet.headers["身份证号码"] == "公民身份号码"
    assert [r.line for r in sheet.rows] == [5, 7]
    first, second = sheet.rows
    assert first.values["姓名"] == "张三" and first.values["身份证号码"] == ID
    assert first.values["发放金额(元)"] == "120.50" and first.values["发放日期"] == "2026-03-01"
    assert first.errors == []
    assert second.values["发放金额(元)"] == "80" and second.values["发放日期"] == "2026-03-02"
    # an ID stored as a number lost its last digits: reported, never guessed
    assert second.values["身份证号码"] == ""
    (err,) = second.errors
    assert err.line == 7 and err.column == "公民身份号码" and err.value == "1.41024E+17"
    assert str(err).startswith("第7行 公民身份号码“1.41024E+17”被表格软件存成了数字")
    assert sheet.totals.line == 9 and sheet.totals.values["发放金额(元)"] == "200.5"
    assert sheet.trailer_lines == ["经办人：王五 审核人：赵六".replace("：", ":")]
    assert sheet.errors == []


def test_gb18030_csv_with_title_totals_and_full_width_digits():
    lines = [
        ["甘亭镇2026年高龄津贴发放清册"],
        ["序号", "姓名", "身份证号", "所属村", "卡号", "发放金额"],
        ["1", "王　五", "１４１０２４１９９００１０１１２３ｘ", "第一村委会", "６２２８４８００１２３４５６７１２３４", "１，２００．００"],
        ["合计", "", "", "", "", "1200.00"],
        ["经办人：", "审核人："],
    ]
    data = csv_bytes(lines, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    sheet = read_sheet(data, SPEC, filename="清册.csv")
    assert sheet.encoding == "gb18030" and sheet.header_line == 2
    (row,) = sheet.rows
    assert row.line == 3 and row.values["姓名"] == "王五"
    assert row.values["身份证号码"] == "14102419900101123x"  # case is the caller's business
    assert row.values["银行账号"] == "6228480012345671234" and row.values["发放金额(元)"] == "1,200.00"
    assert sheet.totals.values["发放金额(元)"] == "1200.00"


@pytest.mark.parametrize("encoding,expected", [("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"), ("utf-16", "utf-16"), ("gbk", "gb18030")])
def test_csv_encodings_are_detected(encoding, expected):
    data = csv_bytes([["姓名", "身份证号码", "村(社区)"], ["赵六", ID, "东村"]], encoding)
    if encoding == "utf-16":  # Excel's "Unicode text" is tab separated
        data = "\n".join(["姓名\t身份证号码\t村(社区)", f"赵六\t{ID}\t东村"]).encode("utf-16")
    sheet = read_sheet(data, SPEC)
    assert sheet.encoding == expected
    assert sheet.rows[0].values == {**sheet.rows[0].values, "姓名": "赵六", "身份证号码": ID, "村(社区)": "东村"}


def test_scientific_notation_written_as_text_is_an_error_too():
    data = csv_bytes([["姓名", "身份证号码", "村(社区)", "卡号"], ["赵六", "1.41024E+17", "东村", "6.22848E+18"]])
    (row,) = read_sheet(data, SPEC).rows
    assert [e.column for e in row.errors] == ["身份证号码", "卡号"]
    assert "末几位已丢失" in row.errors[0].message and row.values["身份证号码"] == ""


def test_excel_text_forcing_forms_are_unwrapped():
    data = csv_bytes([["姓名", "身份证号码", "村(社区)"], ["赵六", f'"=""{ID}"""', "东村"], ["钱七", f"'{ID}", "东村"]])
    rows = read_sheet(data, SPEC).rows
    assert [r.values["身份证号码"] for r in rows] == [ID, ID]


def test_header_not_found_names_the_expected_columns():
    with pytest.raises(SheetError, match="前10行中没有找到表头.*“姓名”“身份证号码”“村\\(社区\\)”"):
        read_sheet(csv_bytes([["a", "b"]] * 12), SPEC)


def test_missing_required_column_is_named_with_its_aliases():
    with pytest.raises(SheetError, match="第2行像是表头，但缺少必填列：“村\\(社区\\)”（也可写作：所属村、村组）"):
        read_sheet(csv_bytes([["标题"], ["姓名", "身份证号码", "金额"]]), SPEC)


def test_header_beyond_the_search_window_is_not_found():
    with pytest.raises(SheetError, match="没有找到表头"):
        read_sheet(csv_bytes([["标题"]] * 10 + [["姓名", "身份证号码", "村(社区)"]]), SPEC)


def test_duplicate_column_is_refused():
    with pytest.raises(SheetError, match="“身份证号码”列出现了两次（第B列和第C列）"):
        read_sheet(csv_bytes([["姓名", "身份证号码", "身份证号", "村(社区)"]]), SPEC)


def test_header_markers_spaces_newlines_and_units_are_ignored():
    data = xlsx([["*姓 名", "身份证\n号码", "村（社区）", "发放金额（元）"], ["甲", ID, "东村", "5"]])
    sheet = read_sheet(data, SPEC)
    assert sheet.rows[0].values["发放金额(元)"] == "5" and sheet.headers["村(社区)"] == "村(社区)"


def test_data_after_the_totals_row_is_reported_not_dropped():
    data = csv_bytes([["姓名", "身份证号码", "村(社区)"], ["甲", ID, "东村"], ["合计", "", ""], ["乙", ID, "西村"]])
    sheet = read_sheet(data, SPEC)
    assert [r.line for r in sheet.rows] == [2]
    (err,) = sheet.errors
    assert err.line == 4 and "位于“合计”行之后" in str(err)


def test_subtotals_are_skipped_and_totals_may_say_zongji():
    data = csv_bytes([["姓名", "身份证号码", "村(社区)"], ["甲", ID, "东村"], ["小计", "", ""], ["乙", ID, "西村"], ["总 计", "", ""]])
    sheet = read_sheet(data, SPEC)
    assert [r.line for r in sheet.rows] == [2, 4] and sheet.totals.line == 5


def test_named_sheet_and_hidden_first_sheet():
    good = [["姓名", "身份证号码", "村(社区)"], ["甲", ID, "东村"]]
    data = xlsx(None, sheets={"封面": [["封面"]], "名单": good})
    assert read_sheet(data, SPEC, sheet="名单").sheet_name == "名单"
    with pytest.raises(SheetError, match="没有名为“花名册”的工作表（现有：封面、名单）"):
        read_sheet(data, SPEC, sheet="花名册")
    assert read_sheet(xlsx(good, hidden_first=True), SPEC).sheet_name == "Sheet1"


def test_invalid_dates_name_row_and_column():
    data = csv_bytes([["姓名", "身份证号码", "村(社区)", "发放日期"], ["甲", ID, "东村", "2026-02-30"]])
    (row,) = read_sheet(data, SPEC).rows
    assert str(row.errors[0]) == "第2行 发放日期“2026-02-30”不是有效的日期，请写成2026-01-31的形式"


def test_old_excel_xls_is_read():
    sheet = read_sheet(FIXTURES / "roster_sample.xls", SPEC, filename="清册.xls")
    assert sheet.format == "xls" and sheet.header_line == 3
    assert [(r.line, r.values["姓名"]) for r in sheet.rows] == [(4, "张三"), (5, "李四")]
    assert sheet.rows[1].values["银行账号"] == "6228480012345671234"  # full-width digits
    assert sheet.rows[1].errors[0].value == "1.41024E+17"
    assert sheet.totals.values["发放金额(元)"] == "200.5" and sheet.trailer_lines


def test_html_disguised_as_xls_and_broken_files():
    with pytest.raises(SheetError, match="网页"):
        read_sheet(b"<html><table><tr><td>x</td></tr></table></html>", SPEC, filename="a.xls")
    with pytest.raises(SheetError, match="无法打开"):
        read_sheet(b"PK\x03\x04garbage", SPEC, filename="a.xlsx")
    with pytest.raises(SheetError, match="空的"):
        read_sheet(b"", SPEC)


def test_streaming_keeps_memory_flat_and_closes_the_file(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("姓名,身份证号码,村(社区)\n")
        for i in range(20000):
            f.write(f"人{i},{ID},东村\n")
    with open_sheet(path, SPEC) as reader:
        count = sum(1 for _ in reader)
    assert count == 20000 and reader._closer is None
