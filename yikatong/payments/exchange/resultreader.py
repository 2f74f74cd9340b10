"""Reading a result file (回盘): MAC first, then every line, then the totals.

A block of lines is matched by one multi-line regex that also carries the status rules
(fast path: the matching runs in C for the whole block). A block the fast path does not accept
entirely is read again line by line, which either names the first bad line or accepts what
the fast path could not judge (an item_ref repeated with E08).
"""
from __future__ import annotations

import re
from itertools import compress
from operator import itemgetter

from . import framing
from .errors import ResultFileError
from .fields import ACCOUNT, EOL, POS_INT, TEXT, TIME, check_nonneg_int_text, parse_date, parse_time
from .filenames import RESULT, parse_file_name
from .lines import R_DETAIL_FIELDS, R_DETAIL_RE, R_HEADER_FIELDS, R_HEADER_RE, diagnose
from .resultlines import PAID, ResultFile, ResultHeader, ResultLine, rule_problem

__all__ = ["parse_result_file"]

# One whole D line, its CRLF included: it starts at the start of the block or right after a
# CRLF (not after a stray LF), and no field holds CR or LF, so each match is exactly one line
# and "as many matches as CRLFs" means every line matched. After the status, lookarounds
# enforce the rules: S -> empty code and a done_at; F -> E01–E08, or E99 with a text.
_BLOCK_RE = re.compile(
    rf"(?:\A|(?<=\r\n))D\|({POS_INT})\|({TEXT}+)\|({ACCOUNT})\|({POS_INT})\|([SF])\|"
    rf"(?:(?<=S\|)(?=\|{TEXT}*\|{TEXT}*\|[0-9])|(?<=F\|)(?=E0[1-8]\||E99\|{TEXT}))"
    rf"((?:E0[1-8]|E99)?)\|({TEXT}*)\|({TEXT}*)\|((?:{TIME})?)\r\n"
)
_new = tuple.__new__  # builds ResultLine tuples without the Python-level __new__


def _fast(text: str, count: int, start: int, seen: set, times: dict) -> list | None:
    """The block's ResultLines, or None when anything needs a line-by-line look (nothing is then kept)."""
    rows = _BLOCK_RE.findall(text)
    if len(rows) != count:
        return None
    out: list[ResultLine] = []
    append, expected = out.append, start - 1
    for seq, ref, acc, amount, status, code, reason, txn, done in rows:
        expected += 1
        at = times.get(done)
        if at is None and done:
            at = parse_time(done)
            if len(times) > 4096:
                times.clear()
            times[done] = at
        if int(seq) != expected or ref in seen or (done and at is None):
            seen.difference_update(line[1] for line in out)
            return None
        seen.add(ref)
        append(_new(ResultLine, (expected, ref, acc, int(amount), status, code, reason, txn, at)))
    return out


def _slow(lines: list[str], first_no: int, start: int, seen: set) -> list[ResultLine]:
    out = []
    for offset, text in enumerate(lines):
        line_no, what, expected = first_no + offset, f"第 {first_no + offset} 行（明细）", start + offset
        m = R_DETAIL_RE.fullmatch(text)
        if m is None:
            raise ResultFileError("F04", diagnose(text, R_DETAIL_FIELDS, what), line_no=line_no)
        seq, ref, acc, amount, status, code, reason, txn, done = m.groups()
        if int(seq) != expected:
            raise ResultFileError("F04", f"{what}的“序号”应为 {expected}（序号须从 1 起连续编排）", line_no=line_no)
        problem = rule_problem(status, code, reason, bool(done))
        if problem is None and ref in seen and code != "E08":
            problem = "“明细编号”在本文件中重复出现，重复的明细只能以 E08（重复明细）失败"
        if problem:
            raise ResultFileError("F04", f"{what}：{problem}", line_no=line_no)
        done_at = parse_time(done) if done else None
        if done and done_at is None:
            raise ResultFileError("F04", f"{what}的“完成时间”不是有效时间", line_no=line_no)
        seen.add(ref)
        out.append(ResultLine(expected, ref, acc, int(amount), status, code, reason, txn, done_at))
    return out


def _header(text: str) -> ResultHeader:
    match = R_HEADER_RE.fullmatch(text)
    if not match:
        raise ResultFileError("F04", diagnose(text, R_HEADER_FIELDS, "第 1 行（文件头）"), line_no=1)
    batch_no, day, count, total = match.groups()
    processed = parse_date(day)
    if processed is None:
        raise ResultFileError("F04", "第 1 行（文件头）的“处理日期”不是有效日期", line_no=1)
    return ResultHeader(batch_no, processed, int(count), int(total))


def _trailer_totals(trailer: list[str], trailer_no: int) -> tuple[int, int, int, int]:
    if len(trailer) != 6 or any(check_nonneg_int_text(v) for v in trailer[:4]):
        raise ResultFileError(
            "F04", f"第 {trailer_no} 行（文件尾）应为 T|成功笔数|成功金额|失败笔数|失败金额|MAC算法|MAC", line_no=trailer_no)
    return int(trailer[0]), int(trailer[1]), int(trailer[2]), int(trailer[3])


def parse_result_file(data: bytes, key: bytes, *, filename: str | None = None, alg: str | None = None) -> ResultFile:
    """Verify and read a result file; raises ResultFileError (F02 MAC, F04 format, F01 totals).
    Where the file is trusted, `alg` is the agreement's MAC algorithm (framing.unseal)."""
    end, trailer, trailer_no = framing.unseal(data, key=key, error=ResultFileError, alg=alg)
    header: ResultHeader | None = None
    lines: list[ResultLine] = []
    seen: set[str] = set()
    times: dict = {}  # done_at text -> datetime: a bank stamps many lines with the same second
    for first_no, text in framing.iter_text_blocks(data, end, error=ResultFileError):
        if header is None:
            head, _, text = text.partition(EOL)
            header, first_no = _header(head), first_no + 1
        count = text.count(EOL)
        block = _fast(text, count, len(lines) + 1, seen, times) if count else []
        if block is None:
            block = _slow(text.split(EOL)[:-1], first_no, len(lines) + 1, seen)
        lines.extend(block)
    if header is None or not lines:
        raise ResultFileError("F04", "文件没有回盘明细", line_no=trailer_no)
    statuses, amounts = list(map(itemgetter(4), lines)), list(map(itemgetter(3), lines))
    ok_count, ok_fen, total = statuses.count(PAID), sum(compress(amounts, map(PAID.__eq__, statuses))), sum(amounts)
    totals = _trailer_totals(trailer, trailer_no)
    counted = (ok_count, ok_fen, len(lines) - ok_count, total - ok_fen)
    if totals != counted or header.count != len(lines) or header.total_fen != total:
        raise ResultFileError("F01", f"汇总不符：文件头 {header.count} 笔 {header.total_fen} 分；文件尾成功 {totals[0]} 笔 "
                                     f"{totals[1]} 分、失败 {totals[2]} 笔 {totals[3]} 分；明细实有成功 {counted[0]} 笔 "
                                     f"{counted[1]} 分、失败 {counted[2]} 笔 {counted[3]} 分")
    if filename is not None:
        parts = parse_file_name(filename)
        if parts is None or parts.kind != RESULT or parts.batch_no != header.batch_no:
            raise ResultFileError("F04", f"文件名“{filename}”与文件头的批次号 {header.batch_no} 不一致", line_no=1)
    return ResultFile(header, lines, *totals, trailer[4], trailer[5])
