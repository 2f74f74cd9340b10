"""What a text field of an agent-bank file (specs/bank-exchange.md: GB18030, `|`-separated, CRLF lines)
cannot carry, by stable code. The bank-file writer (payments.exchange.fields) and every entry point of
payee data (roster import, manual entry, corrections: rosters.importer.payee) use the same rule, so data
that passed entry always fits the file."""
from __future__ import annotations

import re

ENCODING = "gb18030"
SEP = "|"

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

TEXT_PROBLEMS = {
    "PAYEE_DELIMITER": "含有分隔符“|”，银行文件中不允许",
    "PAYEE_LINE_BREAK": "含有回车或换行符，银行文件中不允许",
    "PAYEE_CONTROL_CHAR": "含有不可见的控制字符",
    "PAYEE_UNENCODABLE": "含有 GB18030 无法表示的字符",
}


def text_problem_code(value: str) -> str | None:
    """The code (TEXT_PROBLEMS) of the first thing in `value` a bank file field cannot carry, or None."""
    if SEP in value:
        return "PAYEE_DELIMITER"
    if "\r" in value or "\n" in value:
        return "PAYEE_LINE_BREAK"
    if _CONTROL_RE.search(value):
        return "PAYEE_CONTROL_CHAR"
    try:
        value.encode(ENCODING)
    except UnicodeEncodeError:
        return "PAYEE_UNENCODABLE"
    return None
