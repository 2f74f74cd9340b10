"""One run of the simulated bank over the outbox: answer every payment file into the inbox.

Bank side of the drop box: payment files are taken from settings.YKT_BANK_OUTBOX (moved to
its `processed/` folder once answered) and answers written atomically to settings.YKT_BANK_INBOX.
"""
from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from yikatong.payments.exchange.connector import PROCESSED, atomic_write, private_dir
from yikatong.payments.exchange.filenames import PAYMENT, parse_file_name

from .options import SimOptions
from .services import payment_file_process


def pending(outbox: Path) -> list[Path]:
    if not outbox.is_dir():
        return []
    return [p for p in sorted(outbox.iterdir())
            if p.is_file() and (parts := parse_file_name(p.name)) is not None and parts.kind == PAYMENT]


def run(*, actor=None, options: SimOptions, outbox: Path | None = None, inbox: Path | None = None,
        today=None, now=None) -> list[tuple[str, str, str]]:
    """Answer every pending payment file. Returns (file, answer file, one-line summary) per file."""
    outbox = Path(outbox or settings.YKT_BANK_OUTBOX)
    inbox = Path(inbox or settings.YKT_BANK_INBOX)
    report = []
    for path in pending(outbox):
        answer = payment_file_process(actor=actor, filename=path.name, data=path.read_bytes(), options=options,
                                      today=today, now=now)
        try:
            atomic_write(inbox, answer.filename, answer.data)
            note = _summary(answer.received)
        except FileExistsError:
            note = f"收件箱中已有 {answer.filename}，未覆盖（{_summary(answer.received)}）"
        private_dir(outbox / PROCESSED)
        os.replace(path, outbox / PROCESSED / path.name)
        report.append((path.name, answer.filename, note))
    return report


def _summary(received) -> str:
    if received.answer_kind == "X":
        return f"整批拒收 {received.rejection_code}：{received.rejection_text}"
    return f"成功 {received.ok_count} 笔 {received.ok_fen} 分，失败 {received.fail_count} 笔 {received.fail_fen} 分"
