"""Roster files built in tests: csv (UTF-8 / GB18030) and xlsx, with optional title and totals rows."""
import csv
import io

import xlsxwriter

HEADER = ["序号", "姓名", "身份证号码", "村(社区)", "联系电话", "银行账号", "发放金额(元)"]
# valid IDs of Hongtong county (checksums computed by the test helper below) and Luhn-valid cards
GOOD = [
    ["1", "张三", None, "第一村委会", "13812345678", None, "500.00"],
    ["2", "李四", None, "第一村委会", "", None, "500"],
]


def id_check_digit(body: str) -> str:
    """GB 11643 check character of the first 17 digits."""
    check = (1 - 2 * int(body, 13)) % 11
    return "X" if check == 10 else str(check)


def id_number(seq: int, birth: str = "19500101") -> str:
    body = f"141024{birth}{seq:03d}"
    return body + id_check_digit(body)


def card(seq: int) -> str:
    from stdnum.luhn import calc_check_digit

    body = f"622848001234567{seq:03d}"
    return body + calc_check_digit(body)


def good_rows(n: int = 2):
    rows = []
    for i in range(1, n + 1):
        rows.append([str(i), f"对象{i}", id_number(i), "第一村委会", "", card(i), "500.00"])
    return rows


def to_csv(rows, *, header=HEADER, title=(), totals=None, encoding="utf-8-sig", trailer=()) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    for line in title:
        w.writerow([line])
    w.writerow(header)
    w.writerows(rows)
    if totals is not None:
        w.writerow(totals)
    for line in trailer:
        w.writerow([line])
    return buf.getvalue().encode(encoding)


def to_xlsx(rows, *, header=HEADER, title=(), totals=None, numeric_columns=()) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet()
    r = 0
    for line in title:
        ws.write(r, 0, line)
        r += 1
    ws.write_row(r, 0, header)
    for row in rows:
        r += 1
        for c, v in enumerate(row):
            if c in numeric_columns and v not in ("", None):
                ws.write_number(r, c, float(v))
            else:
                ws.write_string(r, c, v)
    if totals is not None:
        r += 1
        ws.write_row(r, 0, totals)
    wb.close()
    return buf.getvalue()
