"""The simulated bank's decisions for one accepted payment file: which items pay, which fail and why.

Pure apart from the set of item_refs the bank processed before, which the caller supplies.
Deterministic: the random fraction is drawn from Random(f"{seed}:{batch_no}").
"""
from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from yikatong.payments.exchange.codes import REASON_CODES
from yikatong.payments.exchange.paymentfile import ParsedPaymentFile
from yikatong.payments.exchange.resultfile import FAILED, PAID, ResultLine

from .options import RANDOM_CODES, SimOptions


def reason_text(code: str) -> str:
    if code == "E99":
        return "其他：模拟器模拟的失败"
    return REASON_CODES[code].meaning


def decide(
    parsed: ParsedPaymentFile, *, options: SimOptions, seen_refs: set[str], done_at: datetime.datetime
) -> Iterator[ResultLine]:
    """One ResultLine per payment line, in order. `seen_refs` grows with this file's refs."""
    batch_no = parsed.header.batch_no
    rng = random.Random(f"{options.seed}:{batch_no}")
    for seq, line in enumerate(parsed.lines, 1):
        drawn = rng.random() < options.fail_rate
        pick = rng.choice(RANDOM_CODES)  # drawn every line, so one item's fate never shifts another's
        if line.item_ref in seen_refs:
            code = "E08"
        else:
            code = options.fail_seq.get(seq) or options.fail_ref.get(line.item_ref) or (pick if drawn else "")
        seen_refs.add(line.item_ref)
        if code:
            yield ResultLine(seq, line.item_ref, line.account_no, line.amount_fen, FAILED, code, reason_text(code), "",
                             done_at)
        else:
            yield ResultLine(seq, line.item_ref, line.account_no, line.amount_fen, PAID, "", "",
                             f"SIM{batch_no.replace('-', '')}{seq:07d}", done_at)
