"""The file-level rejection (整批拒收, `YKT1_<bank>_<batch>_X.txt`): one line, returned instead of a result.

    X|<batch_no>|<code>|<text>

The contract gives this file no MAC, so it proves nothing about money: it may only be read
as "the bank says it did not take this batch", to be confirmed with the bank before the
items are paid again under a new batch number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .codes import REJECTION_CODES
from .errors import ResultFileError
from .fields import ENCODING, EOL, check_text
from .filenames import REJECTION, file_name, parse_file_name
from .fields import TEXT
from .lines import BATCH

__all__ = ["Rejection", "write_rejection_file", "parse_rejection_file"]

_MAX_BYTES = 64 * 1024
_LINE_RE = re.compile(rf"X\|({BATCH})\|(F0[1-5])\|({TEXT}*)")


@dataclass(frozen=True)
class Rejection:
    batch_no: str
    code: str
    text: str

    @property
    def meaning(self) -> str:
        return REJECTION_CODES[self.code][0]


def write_rejection_file(*, bank_code: str, batch_no: str, code: str, text: str) -> tuple[str, bytes]:
    name = file_name(bank_code, batch_no, REJECTION)
    if code not in REJECTION_CODES:
        raise ValueError(f"未知的拒收代码“{code}”（可选 {'、'.join(REJECTION_CODES)}）")
    problem = check_text(text, required=False)
    if problem:
        raise ValueError(f"拒收说明{problem}")
    return name, f"X|{batch_no}|{code}|{text}{EOL}".encode(ENCODING)


def parse_rejection_file(data: bytes, *, filename: str | None = None) -> Rejection:
    """Read a rejection file; raises ResultFileError (F04) when it is not exactly one valid X line."""
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"文件内容必须是字节串，收到 {type(data).__name__}")
    if len(data) > _MAX_BYTES or not data.endswith(b"\r\n") or data.count(b"\r\n") != 1:
        raise ResultFileError("F04", "拒收文件应恰好一行，并以回车换行（CRLF）结束", line_no=1)
    try:
        line = bytes(data[:-2]).decode(ENCODING)
    except UnicodeDecodeError:
        raise ResultFileError("F04", "拒收文件含有不是 GB18030 编码的字节", line_no=1) from None
    match = _LINE_RE.fullmatch(line)
    if not match:
        raise ResultFileError("F04", "拒收文件应为 X|批次号|拒收代码(F01–F05)|说明", line_no=1)
    rejection = Rejection(*match.groups())
    if filename is not None:
        parts = parse_file_name(filename)
        if parts is None or parts.kind != REJECTION or parts.batch_no != rejection.batch_no:
            raise ResultFileError("F04", f"文件名“{filename}”与拒收文件中的批次号 {rejection.batch_no} 不一致", line_no=1)
    return rejection
