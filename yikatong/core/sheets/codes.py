"""Refusal codes of reading a spreadsheet (the file as a whole), with their Chinese messages."""
from yikatong.core.refusals import register_messages

register_messages({
    "SHEET_INVALID": "文件无法读取",
    "SHEET_HEADER_NOT_FOUND": "在文件前{limit}行中没有找到表头（表头应包含{wanted}等列名）",
    "SHEET_COLUMN_MISSING": "第{line}行像是表头，但缺少必填列：{columns}",
    # a warning, not a refusal: the file is read, these columns are left out
    "SHEET_COLUMNS_UNKNOWN": "以下列未被识别，已忽略：{columns}；如其中有需要导入的信息，请按说明改用可识别的列名",
    "XLSX_INVALID": "无法打开这个.xlsx文件（{reason}）：文件可能已损坏或设置了密码，请用Excel打开后另存为.xlsx再试",
    "XLSX_BOMB": "这个.xlsx文件解压后过大（{detail}），疑似“压缩炸弹”，已拒绝；请删除多余内容后另存再试",
    "XLSX_DIMENSION": "工作表“{sheet}”的范围是 {ref}（{rows} 行 × {columns} 列），超过上限（{max_rows} 行、{max_columns} 列、"
                      "{max_cells} 个单元格）；请删除表格外多余的行、列或远处的格式后另存再试",
    "PARSER_CRASHED": "读取表格时解析程序异常退出（文件可能已损坏或含有异常内容），未做任何修改；"
                      "请用Excel打开后另存为.xlsx或.csv再试（参考编号 {ref}）",
    "PARSER_TIMEOUT": "读取表格超过 {seconds} 秒仍未完成，已停止，未做任何修改；请拆分文件或另存为.csv后再试",
    "PARSER_MEMORY": "读取表格所需内存超过上限（{limit_mb} MB），已停止，未做任何修改；"
                     "请删除表格外多余的行列、拆分文件或另存为.csv后再试",
    "CSV_ENCODING": "第{line}行含有无法识别的字符（按 {encoding} 编码读取失败），文件可能不是文本表格；"
                    "请另存为 UTF-8 编码的.csv或.xlsx后重试",
    "CSV_NUL": "第{line}行含有空字符（NUL），文件可能不是文本表格或已损坏；请另存为.csv或.xlsx后重试",
    "CSV_LINE_TOO_LONG": "第{line}行超过 {limit_kb} KB，文件可能不是文本表格或已损坏；请检查后另存为.csv或.xlsx再试",
    "CSV_INVALID": "第{line}行格式错误（{reason}）；请检查引号是否成对后另存再试",
})
