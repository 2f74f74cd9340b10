from python_calamine import CalamineWorkbook

from yikatong.core.xlsx import write_xlsx


def test_written_workbook_reads_back_with_text_ids():
    data = write_xlsx(["姓名", "身份证号码", "金额"], [["张三", "141024199001011234", 12.5]], title="清册", text_columns=[1], footer=["经办人："])
    rows = CalamineWorkbook.from_filelike(__import__("io").BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "清册" and rows[1] == ["姓名", "身份证号码", "金额"]
    assert rows[2][1] == "141024199001011234" and rows[2][2] == 12.5
    assert rows[-1][0] == "经办人："


def test_cells_that_look_like_formulas_or_links_are_written_as_text():
    """Issue 13: a payee named “=HYPERLINK(…)” became a live formula in every export, public notices
    included. Every string is a string: the sheet holds no formula and no link."""
    import io
    import zipfile

    hostile = ['=HYPERLINK("http://evil.example","点我")', "+86-1", "-2+3", "@SUM(A1)", "http://evil.example"]
    data = write_xlsx(["姓名"], [[v] for v in hostile], title="=1+1", footer=["=cmd|' /C calc'!A0"])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet and "hyperlink" not in sheet.lower()
        assert not any(n.startswith("xl/worksheets/_rels") for n in z.namelist())
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "=1+1" and [r[0] for r in rows[2:2 + len(hostile)]] == hostile
