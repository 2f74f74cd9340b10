"""Payee data a bank file cannot carry, refused where it enters: roster import, manual entry and
every correction (reissue, a rejected file's fix). The rules are the bank format's
(payments/exchange/fields.py, specs/bank-exchange.md), a little stricter: any Unicode control,
format or line-separator character is refused too (nobody's name holds one; it only hides data).

`payee_problems` answers (column, code, message) per bad field; messages name the column and
never echo the value (it is personal data).
"""
from __future__ import annotations

import unicodedata

from yikatong.core.refusals import register_messages
from yikatong.core.banktext import TEXT_PROBLEMS, text_problem_code

from . import spec as S

NAME_MAX = 100  # BatchItem.name / account_holder

register_messages({
    "PAYEE_DELIMITER": "{where}“{column}”含有分隔符“|”，银行代发文件中不允许，请改正",
    "PAYEE_LINE_BREAK": "{where}“{column}”含有回车或换行符，银行代发文件中不允许，请改正",
    "PAYEE_CONTROL_CHAR": "{where}“{column}”含有不可见的控制字符，请删除后重新填写",
    "PAYEE_UNENCODABLE": "{where}“{column}”含有银行文件（GB18030）无法表示的字符，请改正",
    "PAYEE_TOO_LONG": "{where}“{column}”超过 {limit} 个字",
})

_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def text_code(value: str) -> str | None:
    """Stable code of what is wrong with a payee text, or None."""
    code = text_problem_code(value)
    if code:
        return code
    if not value.isascii() and any(unicodedata.category(ch) in _BAD_CATEGORIES for ch in value):
        return "PAYEE_CONTROL_CHAR"
    return None


def message(code: str, *, column: str, where: str = "", limit: int = NAME_MAX) -> str:
    from yikatong.core.refusals import message_for

    return message_for(code, where=where, column=column, limit=limit)


def payee_problems(values: dict[str, str], *, where: str = "") -> list[tuple[str, str, str]]:
    """(column, code, message) for each payee field of `values` (canonical roster column names:
    姓名, 账户户名, 银行账号, 开户银行) that must not reach a bank file. `where` prefixes the message
    (e.g. "第12行 " or "明细 XXX 的")."""
    out = []
    for column in (S.NAME, S.HOLDER, S.ACCOUNT, S.BANK):
        value = values.get(column) or ""
        if not value:
            continue
        code = text_code(value)
        if code is None and column in (S.NAME, S.HOLDER) and len(value) > NAME_MAX:
            code = "PAYEE_TOO_LONG"
        if code:
            out.append((column, code, message(code, column=column, where=where)))
    return out


def first_refusal(values: dict[str, str], *, where: str = ""):
    """The first payee problem as (code, message), or None (for services that refuse one at a time)."""
    found = payee_problems(values, where=where)
    return (found[0][1], found[0][2]) if found else None


__all__ = ["payee_problems", "first_refusal", "text_code", "TEXT_PROBLEMS"]
