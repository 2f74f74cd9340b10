from python_calamine import CalamineWorkbook

from yikatong.core.xlsx import write_xlsx


def test_written_workbook_reads_back_with_text_ids():
    data = write_xlsx(["姓名", "身份证号码", "金额"], [["张三", "141024199001011234", 12.5]], title="清册", text_columns=[1], footer=["经办人："])
    rows = CalamineWorkbook.from_filelike(__import__("io").BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "清册" and rows[1] == ["姓名", "身份证号码", "金额"]
    assert rows[2][1] == "141024199001011234" and rows[2][2] == 12.5
    assert rows[-1][0] == "经办人："
