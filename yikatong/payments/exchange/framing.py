"""Framing shared by the sealed YKT1 files (P and R): lines, encoding, and the MAC-bearing `T` line.

Writing: lines are encoded a block at a time into a list of byte chunks (nothing per line is
kept), then `seal` puts the header in front, MACs every byte before the `T` line and appends it.
Reading: `unseal` finds the `T` line, checks the MAC over the bytes before it, and
`iter_text_blocks` decodes the rest a block of whole lines at a time. Lines are split on CRLF *bytes*, which
is safe in GB18030 (no multi-byte sequence contains CR or LF), but fields are split only after
decoding: a GB18030 trail byte may be 0x7C, the code of "|" (亅 is 0x81 0x7C).
"""
from __future__ import annotations

import re

from collections.abc import Callable, Iterable, Iterator

from .errors import ExchangeFileError
from .fields import ENCODING, EOL
from .mac import MAC_HEX_LENGTH, MacError, new_mac, verify_mac

EOL_BYTES = EOL.encode("ascii")
BLOCK_LINES = 2048  # lines encoded per chunk when writing
BLOCK_BYTES = 1 << 20  # bytes decoded per block when reading
_MAC_HEX_RE = re.compile(f"[0-9a-f]{{{MAC_HEX_LENGTH}}}")


def encode_blocks(lines: Iterable[str], locate: Callable[[int, str], Exception]) -> list[bytes]:
    """Encode lines (each ending in CRLF) in blocks. `locate(i, line)` builds the error for the i-th line (0-based)."""
    chunks: list[bytes] = []
    block: list[str] = []
    done = 0
    for line in lines:
        block.append(line)
        if len(block) == BLOCK_LINES:
            chunks.append(_encode(block, done, locate))
            done += len(block)
            block = []
    if block:
        chunks.append(_encode(block, done, locate))
    return chunks


def _encode(block: list[str], offset: int, locate) -> bytes:
    try:
        return "".join(block).encode(ENCODING)
    except UnicodeEncodeError:
        for i, line in enumerate(block):
            try:
                line.encode(ENCODING)
            except UnicodeEncodeError:
                raise locate(offset + i, line) from None
        raise


def seal(header: str, chunks: list[bytes], trailer_fields: str, *, key: bytes, alg: str) -> bytes:
    """header + chunks + `T|<trailer_fields>|<alg>|<mac>` CRLF, the MAC over every byte before the T line."""
    head = header.encode(ENCODING)
    mac = new_mac(key, alg)
    mac.update(head)
    for chunk in chunks:
        mac.update(chunk)
    trailer = f"T|{trailer_fields}|{alg}|{mac.finalize().hex()}{EOL}".encode("ascii")
    return b"".join([head, *chunks, trailer])


def unseal(data: bytes, *, key: bytes, error: type[ExchangeFileError],
           alg: str | None = None) -> tuple[int, list[str], int]:
    """Check the frame and the MAC. Returns (end of the MACed bytes, T-line fields, T-line number).

    `alg` is the agreement's algorithm: a file MACed with any other, however valid that MAC, is
    refused (F02, reason MAC_ALGORITHM_MISMATCH) before the MAC is even computed. None accepts any
    supported algorithm: only for tools and tests, never where a file is trusted.
    Raises `error` with F04 (no proper frame / T line) or F02 (MAC wrong, unknown algorithm).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"文件内容必须是字节串，收到 {type(data).__name__}")
    data = bytes(data) if not isinstance(data, bytes) else data
    if not data:
        raise error("F04", "文件为空")
    if not data.endswith(EOL_BYTES):
        raise error("F04", "文件最后一行没有以回车换行（CRLF）结束")
    end = data.rfind(EOL_BYTES, 0, len(data) - 2) + 2  # start of the T line
    trailer_no = data.count(EOL_BYTES, 0, end) + 1 if end else 1
    if end == 1:  # rfind gave -1: a single line
        raise error("F04", "文件只有一行，缺少文件头、明细或文件尾", line_no=1)
    raw = data[end:-2]
    if not raw.startswith(b"T|") or not raw.isascii():
        raise error("F04", f"第 {trailer_no} 行应为文件尾（以“T|”开头）", line_no=trailer_no)
    fields = raw.decode("ascii").split("|")[1:]
    if len(fields) < 2:
        raise error("F04", f"第 {trailer_no} 行（文件尾）缺少 MAC 算法和 MAC", line_no=trailer_no)
    used, mac_hex = fields[-2], fields[-1]
    if alg is not None and used != alg:
        raise error("F02", f"第 {trailer_no} 行（文件尾）的 MAC 算法为“{used[:20]}”，与代发协议约定的 {alg} 不符",
                    line_no=trailer_no, reason="MAC_ALGORITHM_MISMATCH")
    if not _MAC_HEX_RE.fullmatch(mac_hex):
        raise error("F02", f"第 {trailer_no} 行（文件尾）的 MAC 应为 {MAC_HEX_LENGTH} 位小写十六进制", line_no=trailer_no)
    try:
        ok = verify_mac(key, memoryview(data)[:end], used, mac_hex)
    except MacError as exc:
        raise error("F02", f"第 {trailer_no} 行（文件尾）：{exc}", line_no=trailer_no) from None
    if not ok:
        raise error("F02", "MAC 校验失败：文件内容被改动，或使用了错误的密钥", line_no=trailer_no)
    return end, fields, trailer_no


def iter_text_blocks(data: bytes, end: int, *, error: type[ExchangeFileError]) -> Iterator[tuple[int, str]]:
    """data[:end] (which ends with CRLF) decoded a block of whole lines at a time: (number of its first line, text)."""
    start, line_no = 0, 1
    while start < end:
        cut = data.rfind(EOL_BYTES, start, min(end, start + BLOCK_BYTES))
        if cut < start:  # a line longer than one block
            cut = data.find(EOL_BYTES, start, end)
        chunk = data[start:cut + 2]
        try:
            text = chunk.decode(ENCODING)
        except UnicodeDecodeError as exc:
            bad = line_no + chunk.count(EOL_BYTES, 0, exc.start)
            raise error("F04", f"第 {bad} 行含有不是 GB18030 编码的字节", line_no=bad) from None
        yield line_no, text
        line_no += chunk.count(EOL_BYTES)
        start = cut + 2


def iter_line_blocks(data: bytes, end: int, *, error: type[ExchangeFileError]) -> Iterator[tuple[int, list[str]]]:
    """Like iter_text_blocks, with each block split into its lines."""
    for line_no, text in iter_text_blocks(data, end, error=error):
        lines = text.split(EOL)
        lines.pop()  # the empty string after the last CRLF
        yield line_no, lines
