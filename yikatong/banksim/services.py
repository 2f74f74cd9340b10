"""The simulated bank takes one payment file and answers it: a result file or a rejection file.

Checks, as a bank would, in this order: batch number already received (F03); a forced
rejection (--reject); the key of the agreement named by the header's payer account, then the
frame and MAC (F04/F02), every line (F04), totals (F01), business date = today (F05).
One transaction and one audit event per file.
"""
from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core.bulk import insert_rows
from yikatong.payments.exchange.errors import PaymentFileError
from yikatong.payments.exchange.filenames import PAYMENT, parse_file_name
from yikatong.payments.exchange.paymentfile import ParsedPaymentFile, parse_payment_file, peek_payment_header
from yikatong.payments.exchange.resultfile import PAID, write_rejection_file, write_result_file
from yikatong.payments.selectors import agreement_for

from .bank import decide
from .models import SimPaidItem, SimReceivedBatch, SimReceivedFile
from .options import SimOptions

_PAID_COLUMNS = ("bank_code", "item_ref", "batch_no", "seq", "amount_fen", "status", "reason_code", "bank_txn_id",
                 "done_at")
_IN_CHUNK = 500  # item_refs per IN (...) query; below SQLite's variable limit


@dataclass(frozen=True)
class Answer:
    filename: str
    data: bytes
    received: SimReceivedFile


class _Reject(Exception):
    def __init__(self, code: str, text: str):
        super().__init__(text)
        self.code, self.text = code, text


def _accept(bank_code: str, filename: str, data: bytes, options: SimOptions, today) -> tuple[ParsedPaymentFile, bytes]:
    parts = parse_file_name(filename)
    try:
        with transaction.atomic():
            SimReceivedBatch.objects.create(bank_code=bank_code, batch_no=parts.batch_no)
    except IntegrityError:
        raise _Reject("F03", f"批次号 {parts.batch_no} 已经收到过，不再处理") from None
    if options.reject:
        raise _Reject(options.reject, "模拟器按指令拒收")
    try:
        header = peek_payment_header(data)
        agreement = agreement_for(bank_code=bank_code, payer_account=header.payer_account, day=today)
        if agreement is None:
            raise _Reject("F02", f"没有与付款账号尾号 {header.payer_account[-4:]} 对应的有效代发协议，无法校验 MAC")
        key = agreement.mac_key()
        return parse_payment_file(data, key, filename=filename, today=today, alg=agreement.mac_alg), key
    except PaymentFileError as exc:
        raise _Reject(exc.code, exc.message) from None


def _seen_refs(bank_code: str, parsed: ParsedPaymentFile) -> set[str]:
    refs = [line.item_ref for line in parsed.lines]
    seen: set[str] = set()
    for start in range(0, len(refs), _IN_CHUNK):
        seen.update(SimPaidItem.objects.filter(bank_code=bank_code, item_ref__in=refs[start:start + _IN_CHUNK])
                    .values_list("item_ref", flat=True))
    return seen


@transaction.atomic
def payment_file_process(
    *, actor, filename: str, data: bytes, options: SimOptions, today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Answer:
    """Answer one payment file as the simulated bank. `filename` must be a YKT1 payment file name."""
    parts = parse_file_name(filename)
    if parts is None or parts.kind != PAYMENT:
        raise ValueError(f"“{filename}”不是代发明细文件名")
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    done_at = timezone.localtime(now).replace(tzinfo=None, microsecond=0)
    received = SimReceivedFile(bank_code=parts.bank_code, batch_no=parts.batch_no, filename=filename,
                               sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    try:
        parsed, key = _accept(parts.bank_code, filename, data, options, today)
    except _Reject as rejection:
        name, answer = write_rejection_file(bank_code=parts.bank_code, batch_no=parts.batch_no, code=rejection.code,
                                            text=rejection.text[:200])
        received.answer_kind, received.rejection_code, received.rejection_text = "X", rejection.code, rejection.text[:300]
    else:
        seen = _seen_refs(parts.bank_code, parsed)
        lines = list(decide(parsed, options=options, seen_refs=seen, done_at=done_at))
        name, answer = write_result_file(bank_code=parts.bank_code, batch_no=parts.batch_no, processed_date=today,
                                         lines=lines, key=key, alg=parsed.mac_alg)
        first = {}
        for line in lines:  # an E08 duplicate is not remembered again: the first occurrence stands
            if line.reason_code != "E08":
                first.setdefault(line.item_ref, line)
        # plain rows by COPY / executemany: a million-line file needs no model instances
        insert_rows(SimPaidItem, _PAID_COLUMNS, (
            (parts.bank_code, line.item_ref, parts.batch_no, line.seq, line.amount_fen, line.status, line.reason_code,
             line.bank_txn_id, now)
            for line in first.values()))
        paid = [line.amount_fen for line in lines if line.status == PAID]
        received.answer_kind = "R"
        received.ok_count, received.ok_fen = len(paid), sum(paid)
        received.fail_count = len(lines) - len(paid)
        received.fail_fen = sum(line.amount_fen for line in lines) - received.ok_fen
    received.answer_filename = name
    received.save()
    record(actor=actor, action="banksim.answer", obj=received, after={
        "filename": filename, "answer": name, "rejection_code": received.rejection_code,
        "ok_count": received.ok_count, "fail_count": received.fail_count,
    })
    return Answer(name, answer, received)
