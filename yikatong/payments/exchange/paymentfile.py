"""The payment file (代发明细, `YKT1_<bank>_<batch>_P.txt`): written by Yikatong, read by the bank.

    H|YKT1|<batch_no>|<business_date>|<payer_account>|<payer_name>|<policy_code>|<policy_name>|<count>|<total_fen>
    D|<seq>|<item_ref>|<account_no>|<account_name>|<id_type>|<id_no>|<amount_fen>|<memo>
    T|<count>|<total_fen>|<mac_alg>|<mac>

`write_payment_file` consumes its lines once, as they come (a generator of a million lines
is fine), and refuses data that would make a wrong file. `parse_payment_file` is the bank's
reading, as strict as the writer: anything the writer would not produce is rejected with the
contract's F-code.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from . import framing
from .errors import PaymentDataError, PaymentFileError
from .fields import (
    ENCODING, EOL, check_account, check_amount, check_id_no, check_id_type, check_nonneg_int_text, check_text,
    format_date, parse_date,
)
from .filenames import PAYMENT, file_name, parse_file_name
from .lines import P_DETAIL_FIELDS, P_DETAIL_RE, P_HEADER_FIELDS, P_HEADER_RE, diagnose
from .mac import ALGORITHMS

__all__ = ["PaymentHeader", "PaymentLine", "ParsedPaymentFile", "write_payment_file", "parse_payment_file",
           "peek_payment_header"]


@dataclass(frozen=True)
class PaymentHeader:
    batch_no: str
    business_date: datetime.date
    payer_account: str
    payer_name: str
    policy_code: str
    policy_name: str
    count: int
    total_fen: int


@dataclass(slots=True)
class PaymentLine:
    """One item to pay. Its `seq` in the file is its position (1-based)."""

    item_ref: str
    account_no: str
    account_name: str
    id_type: str
    id_no: str
    amount_fen: int
    memo: str = ""


@dataclass(frozen=True)
class ParsedPaymentFile:
    header: PaymentHeader
    lines: list[PaymentLine]  # lines[i] has seq i + 1
    mac_alg: str
    mac: str


_LINE_FIELDS = (
    ("item_ref", "明细编号", check_text), ("account_no", "账号", check_account), ("account_name", "户名", check_text),
    ("id_type", "证件类型", check_id_type), ("id_no", "证件号码", None), ("amount_fen", "金额（分）", check_amount),
    ("memo", "附言", lambda v: check_text(v, required=False)),
)


def _line_problem(seq: int, line: PaymentLine) -> PaymentDataError | None:
    if not isinstance(line, PaymentLine):
        return PaymentDataError(f"第 {seq} 条明细应为 PaymentLine，收到 {type(line).__name__}")
    ref = line.item_ref if isinstance(line.item_ref, str) and check_text(line.item_ref) is None else "?"
    for attr, label, check in _LINE_FIELDS:
        value = getattr(line, attr)
        problem = check_id_no(value, line.id_type) if check is None else check(value)
        if problem:
            return PaymentDataError(f"第 {seq} 条明细（明细编号 {ref}）的“{label}”{problem}")
    return None


def _check_header(*, bank_code, batch_no, business_date, payer_account, payer_name, policy_code, policy_name, alg):
    file_name(bank_code, batch_no, PAYMENT)  # validates both codes
    if not isinstance(business_date, datetime.date) or isinstance(business_date, datetime.datetime):
        raise PaymentDataError("文件头的“业务日期”必须是日期（date）")
    for label, value, check in (("付款账号", payer_account, check_account), ("付款户名", payer_name, check_text),
                                ("补贴项目代码", policy_code, check_text), ("补贴项目名称", policy_name, check_text)):
        problem = check(value)
        if problem:
            raise PaymentDataError(f"文件头的“{label}”{problem}")
    if alg not in ALGORITHMS:
        raise PaymentDataError(f"不支持的 MAC 算法“{alg}”（可选 {'、'.join(ALGORITHMS)}）")


def write_payment_file(
    *, bank_code: str, batch_no: str, business_date: datetime.date, payer_account: str, payer_name: str,
    policy_code: str, policy_name: str, lines: Iterable[PaymentLine], key: bytes, alg: str,
) -> tuple[str, bytes]:
    """(file name, file bytes), MACed with `alg` — the agreement's, never a fallback of this machine's.
    Raises PaymentDataError (a ValueError) naming the item and field."""
    _check_header(bank_code=bank_code, batch_no=batch_no, business_date=business_date, payer_account=payer_account,
                  payer_name=payer_name, policy_code=policy_code, policy_name=policy_name, alg=alg)
    tally = [0, 0]  # count, total_fen

    def body():
        match = P_DETAIL_RE.fullmatch
        seq = total = 0
        for line in lines:
            seq += 1
            if not isinstance(line, PaymentLine):
                raise _line_problem(seq, line)
            ref, acc, name, id_type, id_no, amount, memo = (
                line.item_ref, line.account_no, line.account_name, line.id_type, line.id_no, line.amount_fen, line.memo)
            text = f"D|{seq}|{ref}|{acc}|{name}|{id_type}|{id_no}|{amount}|{memo}"
            if not (type(amount) is int and type(ref) is type(acc) is type(name) is type(id_no) is type(memo) is str
                    and match(text)):
                problem = _line_problem(seq, line)
                if problem:
                    raise problem
            total += amount
            yield text + EOL
        tally[:] = [seq, total]

    def locate(index: int, text: str) -> PaymentDataError:
        ref = text.split("|")[2]
        what = f"第 {index + 1} 条明细（明细编号 {ref if check_text(ref) is None else '?'}）"
        return PaymentDataError(diagnose(text[:-2], P_DETAIL_FIELDS, what))

    chunks = framing.encode_blocks(body(), locate)
    count, total = tally
    if count == 0:
        raise PaymentDataError("代发明细为空，不能生成代发文件")
    header = (f"H|YKT1|{batch_no}|{format_date(business_date)}|{payer_account}|{payer_name}|{policy_code}|"
              f"{policy_name}|{count}|{total}{EOL}")
    data = framing.seal(header, chunks, f"{count}|{total}", key=key, alg=alg)
    return file_name(bank_code, batch_no, PAYMENT), data


def _header_from(line: str, line_no: int = 1) -> PaymentHeader:
    match = P_HEADER_RE.fullmatch(line)
    if not match:
        raise PaymentFileError("F04", diagnose(line, P_HEADER_FIELDS, f"第 {line_no} 行（文件头）"), line_no=line_no)
    batch_no, day, account, payer, code, name, count, total = match.groups()
    business_date = parse_date(day)
    if business_date is None:
        raise PaymentFileError("F04", f"第 {line_no} 行（文件头）的“业务日期”不是有效日期", line_no=line_no)
    return PaymentHeader(batch_no, business_date, account, payer, code, name, int(count), int(total))


def peek_payment_header(data: bytes) -> PaymentHeader:
    """The header as written, NOT yet trusted (no MAC check): to choose the agreement whose key verifies it."""
    first = bytes(data[: data.find(b"\r\n")]) if b"\r\n" in data else b""
    try:
        return _header_from(first.decode(ENCODING))
    except UnicodeDecodeError:
        raise PaymentFileError("F04", "第 1 行（文件头）含有不是 GB18030 编码的字节", line_no=1) from None


def parse_payment_file(
    data: bytes, key: bytes, *, filename: str | None = None, today: datetime.date | None = None,
    alg: str | None = None,
) -> ParsedPaymentFile:
    """Check a payment file as the bank does; raises PaymentFileError with the F-code to answer.

    Order: frame and MAC (F04/F02) before anything is trusted, then every line (F04), totals
    (F01), then, when `today` is given, the business date (F05). A `filename` must match the header.
    """
    end, trailer, trailer_no = framing.unseal(data, key=key, error=PaymentFileError, alg=alg)
    header: PaymentHeader | None = None
    items: list[PaymentLine] = []
    append, match = items.append, P_DETAIL_RE.fullmatch
    total = 0
    for first_no, block in framing.iter_line_blocks(data, end, error=PaymentFileError):
        for offset, line in enumerate(block):
            if header is None:
                header = _header_from(line)
                continue
            m = match(line)
            if m is None or int(m.group(1)) != len(items) + 1:
                line_no = first_no + offset
                what = f"第 {line_no} 行（明细）"
                reason = diagnose(line, P_DETAIL_FIELDS, what) if m is None else \
                    f"{what}的“序号”应为 {len(items) + 1}（序号须从 1 起连续编排）"
                raise PaymentFileError("F04", reason, line_no=line_no)
            _, ref, acc, name, id_type, id_no, amount, memo = m.groups()
            amount = int(amount)
            total += amount
            append(PaymentLine(ref, acc, name, id_type, id_no, amount, memo))
    if header is None or not items:
        raise PaymentFileError("F04", "文件没有代发明细", line_no=trailer_no)
    if len(trailer) != 4 or any(check_nonneg_int_text(v) for v in trailer[:2]):
        raise PaymentFileError("F04", f"第 {trailer_no} 行（文件尾）应为 T|笔数|金额|MAC算法|MAC", line_no=trailer_no)
    t_count, t_total = int(trailer[0]), int(trailer[1])
    if not (header.count == t_count == len(items) and header.total_fen == t_total == total):
        raise PaymentFileError("F01", f"汇总不符：文件头 {header.count} 笔 {header.total_fen} 分，文件尾 {t_count} 笔 "
                                      f"{t_total} 分，明细实有 {len(items)} 笔 {total} 分")
    _check_name(filename, header)
    if today is not None and header.business_date != today:
        raise PaymentFileError("F05", f"业务日期 {format_date(header.business_date)} 不是当天（{format_date(today)}）")
    return ParsedPaymentFile(header, items, trailer[2], trailer[3])


def _check_name(filename: str | None, header: PaymentHeader) -> None:
    if filename is None:
        return
    parts = parse_file_name(filename)
    if parts is None or parts.kind != PAYMENT or parts.batch_no != header.batch_no:
        raise PaymentFileError("F04", f"文件名“{filename}”与文件头的批次号 {header.batch_no} 不一致", line_no=1)

