"""Taking a bank's answer: a result file (R) or a file-level rejection (X).

Order of checks: the file name, the order it answers (unknown batch refused), the MAC — with the
agreement's algorithm and no other (MAC_ALGORITHM_MISMATCH) — and the totals (parse_result_file),
whether the order may take this answer now (`_answer_action`), every line against the order
(unknown item or amount refused); only then is the file archived. The same file again is a replay:
nothing changes.

Authenticated beats unauthenticated: an X carries no MAC (specs/bank-exchange.md), so it never
changes an order whose authenticated R was taken — it is refused (INGEST_REJECTION_AFTER_RESULT)
and kept, sealed, as evidence (BankFile.refusal_code, audited) — while an authenticated R arriving
after an X that finance has not yet confirmed with the bank overrides it (the X is named in the
audit event). After a confirmed X the R is refused loudly (INGEST_RESULT_AFTER_CONFIRMED_REJECTION).

Taking files from the inbox (`bank_inbox_collect`): each answer is read, ingested in its own
transaction, and moved out of the inbox only once that transaction committed. A crash before
the commit leaves the file in the inbox and nothing written; a crash after it leaves the file in
the inbox with its answer recorded, and the next collection sees a replay and archives it. So
every file is ingested exactly once and none is lost. A refused file stays in the inbox (and is
reported at every collection) until the operator settles it with the bank.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.core import sealed
from yikatong.core.bulk import update_rows
from yikatong.core.copyformat import copy_value
from yikatong.core.faults import fault_point
from yikatong.core.refusals import Forbidden
from yikatong.funds.services import batch_ref, record_paid_for_ref, release_for_ref

from .errors import IngestRefused
from .exchange.errors import ResultFileError
from .exchange.filenames import REJECTION, RESULT, parse_file_name
from .exchange.resultfile import PAID, parse_rejection_file, parse_result_file
from .exchange.connector import BankConnector, OutboxConnector
from .banks import BankFileConflict, store_bank_file
from .tasks import enqueue_card_results
from .flow import order_transition, system_apply, try_close
from .models import BankFile, ItemStatus, OrderState, PaidOrigin, PaymentOrder, PaymentOrderItem
from .tasks import enqueue_notices

__all__ = ["bank_answer_ingest", "Ingested", "bank_inbox_collect"]

INGEST_ROLES = frozenset({Role.TREASURY, Role.FINANCE_REVIEWER, Role.SYSADMIN})


@dataclass(frozen=True)
class Ingested:
    order: PaymentOrder
    created: bool  # False: the same file was taken before, nothing changed


def _is_its_bank(actor, order: PaymentOrder) -> bool:
    """The agent bank's own user (代发金融机构) uploading the answer to a file sent to that bank."""
    return (actor.has_role(Role.BANK) and actor.organization_id is not None
            and actor.organization_id == order.agreement.bank.organization_id)


def _check_actor(actor, order: PaymentOrder) -> None:
    if actor is None:  # background collection from the inbox
        return
    if _is_its_bank(actor, order):
        return
    if not actor.has_role(*INGEST_ROLES) or not region_in_scope(actor, order.batch.region_id):
        raise Forbidden("INGEST_NOT_ALLOWED")


class _KeepRefused(Exception):
    """Raised inside the ingest's transaction for a refused file that is kept as evidence: the
    transaction rolls back (nothing of the order changes), then the file is recorded on its own."""

    def __init__(self, refusal: IngestRefused, bank, filename: str, data: bytes):
        super().__init__(refusal.message)
        self.refusal, self.bank, self.filename, self.data = refusal, bank, filename, data


def bank_answer_ingest(*, actor, filename: str, data: bytes) -> Ingested:
    """Take one answer file. Refusals raise IngestRefused with a code; a refusal whose `recorded`
    param is true kept the file (BankFile.refusal_code, audited) and may leave the inbox."""
    try:
        return _ingest(actor=actor, filename=filename, data=data)
    except _KeepRefused as kept:
        _record_refused(actor, kept)
        raise kept.refusal from None


@transaction.atomic
def _ingest(*, actor, filename: str, data: bytes) -> Ingested:
    parts = parse_file_name(filename)
    if parts is None or parts.kind not in (RESULT, REJECTION):
        raise IngestRefused("INGEST_BAD_FILENAME", filename=filename)
    order = (PaymentOrder.objects.select_for_update().select_related("batch", "agreement__bank")
             .filter(batch_no=parts.batch_no).first())
    if order is None:
        raise IngestRefused("INGEST_UNKNOWN_BATCH", batch_no=parts.batch_no, filename=filename)
    _check_actor(actor, order)
    bank = order.agreement.bank
    if parts.bank_code != bank.code:
        raise IngestRefused("INGEST_BANK_MISMATCH", filename=filename, batch_no=order.batch_no, bank_code=bank.code)
    data = bytes(data)
    stored = BankFile.objects.filter(kind=parts.kind, filename=filename).first()
    if stored is not None and stored.data() == data:
        if stored.refusal_code:  # refused and kept before: the same refusal, nothing recorded twice
            raise IngestRefused(stored.refusal_code, filename=filename, batch_no=order.batch_no, recorded=True)
        return Ingested(order, False)  # replay: the same file taken twice changes nothing
    try:
        if parts.kind == RESULT:
            parsed = parse_result_file(data, order.agreement.mac_key(), filename=filename, alg=order.agreement.mac_alg)
        else:
            parsed = parse_rejection_file(data, filename=filename)
    except ResultFileError as exc:
        if exc.reason:
            raise IngestRefused(exc.reason, filename=filename, detail=exc.message,
                                agreed=order.agreement.mac_alg) from None
        raise IngestRefused("INGEST_FILE_INVALID", filename=filename, detail=exc.message, rejection=exc.code) from None
    fault_point("payments.ingest.after_parse")
    action = _answer_action(order, parts.kind, filename, data, bank)
    if parts.kind == RESULT:
        ids = _match(order, parsed)
    bank_file, created = store_bank_file(actor=actor, bank=bank, filename=filename, content=data)
    if not created:
        return Ingested(order, False)
    if parts.kind == REJECTION:
        _rejected(actor, order, parsed, bank_file)
    else:
        _answered(actor, order, parsed, ids, bank_file, superseding=action == "supersede")
    order.refresh_from_db()
    return Ingested(order, True)


def _answer_action(order: PaymentOrder, kind: str, filename: str, data: bytes, bank) -> str:
    """Whether the order takes this answer now: "take", "supersede" (an authenticated R over an X not
    confirmed with the bank), or a refusal. An X — which no MAC authenticates — never undoes an
    authenticated R: it is refused and kept as evidence."""
    params = {"filename": filename, "batch_no": order.batch_no, "state": order.get_state_display()}
    if order.state == OrderState.SENT:
        return "take"
    if kind == REJECTION and order.state == OrderState.ANSWERED:
        raise _KeepRefused(IngestRefused("INGEST_REJECTION_AFTER_RESULT", recorded=True, **params),
                           bank, filename, data)
    if kind == RESULT and order.state == OrderState.REJECTED:
        if order.rejection_confirmed_at is None:
            return "supersede"
        raise IngestRefused("INGEST_RESULT_AFTER_CONFIRMED_REJECTION", **params)
    if order.state in (OrderState.ANSWERED, OrderState.REJECTED):
        raise IngestRefused("INGEST_ALREADY_ANSWERED", **params)
    raise IngestRefused("INGEST_ORDER_NOT_SENT", **params)


def _record_refused(actor, kept: _KeepRefused) -> None:
    """Keep a refused file (sealed, with its digest; one audit event) in a transaction of its own."""
    with transaction.atomic():
        try:
            store_bank_file(actor=actor, bank=kept.bank, filename=kept.filename, content=kept.data,
                            refusal_code=kept.refusal.code)
        except BankFileConflict:
            kept.refusal.params["recorded"] = False  # another file holds the name: it stays in the inbox


def _match(order: PaymentOrder, parsed) -> list[int]:
    """The id of the order line each result line answers (ids[i] answers parsed.lines[i]); refuse
    anything that does not fit. The order row is locked by the caller, which serialises every
    writer of its lines. Fast path: the bank answers in the order it was sent, so the lines are
    compared position by position while streaming the order's lines; otherwise by item_ref."""
    if parsed.header.batch_no != order.batch_no:
        raise IngestRefused("INGEST_HEADER_BATCH_MISMATCH", header_batch_no=parsed.header.batch_no)
    lines = parsed.lines
    rows = order.items.order_by("seq").values_list("pk", "item_ref", "amount_fen")
    if len(lines) == order.item_count:
        ids = []
        append = ids.append
        for line, (pk, ref, amount) in zip(lines, rows.iterator(chunk_size=20_000)):
            if line.item_ref != ref:
                break
            if line.amount_fen != amount:
                _refuse_amount(order, line, amount)
            append(pk)
        if len(ids) == len(lines):
            return ids
    items = {ref: (pk, amount) for pk, ref, amount in rows.iterator(chunk_size=20_000)}
    ids, seen = [], set()
    for line in lines:
        item = items.get(line.item_ref)
        if item is None:
            raise IngestRefused("INGEST_ITEM_NOT_IN_BATCH", seq=line.seq, item_ref=line.item_ref,
                                batch_no=order.batch_no)
        if line.item_ref in seen:
            raise IngestRefused("INGEST_ITEM_REPEATED", seq=line.seq, item_ref=line.item_ref)
        if line.amount_fen != item[1]:
            _refuse_amount(order, line, item[1])
        seen.add(line.item_ref)
        ids.append(item[0])
    if len(ids) != len(items):
        raise IngestRefused("INGEST_ITEMS_INCOMPLETE", answered=len(ids), batch_no=order.batch_no, sent=len(items))
    return ids


def _refuse_amount(order: PaymentOrder, line, sent_fen: int):
    raise IngestRefused("INGEST_AMOUNT_MISMATCH", seq=line.seq, item_ref=line.item_ref, answered_fen=line.amount_fen,
                        sent_fen=sent_fen)


_UPDATED = ("status", "bank_txn_id", "paid_at", "reason_code", "reason_text", "do_not_repay")


def _line_updates(parsed, ids: list[int], now):
    """(id, *_UPDATED) per line; the bank's naive done_at taken in local time (converted once per value)."""
    aware: dict = {}
    paid, failed = str(ItemStatus.PAID), str(ItemStatus.FAILED)
    for pk, line in zip(ids, parsed.lines):
        if line.status == PAID:
            at = line.done_at
            if at is None:
                at = now
            elif timezone.is_naive(at):
                at = aware.get(line.done_at) or aware.setdefault(line.done_at, timezone.make_aware(line.done_at))
            yield pk, paid, line.bank_txn_id, at, "", "", False
        else:
            yield pk, failed, "", None, line.reason_code, line.reason_text[:200], line.reason_code == "E08"


def _copy_line():
    """A COPY text formatter for the rows of _line_updates: only the bank's texts need escaping."""
    stamps: dict = {}

    def line(row) -> str:
        pk, status, txn, at, code, reason, do_not_repay = row
        if at is None:
            stamp = "\\N"
        elif (stamp := stamps.get(at)) is None:
            if len(stamps) > 4096:
                stamps.clear()
            stamp = stamps[at] = at.isoformat()
        return (f"{pk}\t{status}\t{copy_value(txn)}\t{stamp}\t{copy_value(code)}\t{copy_value(reason)}\t"
                f"{'t' if do_not_repay else 'f'}\n")

    return line


def _answered(actor, order: PaymentOrder, parsed, ids: list[int], bank_file, *, superseding: bool = False) -> None:
    now = timezone.now()
    paid_count, paid_fen = parsed.ok_count, parsed.ok_fen  # checked against the lines by parse_result_file
    failed_count, failed_fen = parsed.fail_count, parsed.fail_fen
    update_rows(PaymentOrderItem, _UPDATED, _line_updates(parsed, ids, now), copy_line=_copy_line())
    fault_point("payments.ingest.mid_write")
    _record_paid_origins(order, bank_file)
    enqueue_notices(actor=actor, order_id=order.pk)  # after commit, as a job: the answer is complete without them
    enqueue_card_results(actor=actor, order_id=order.pk)  # card states to the register, likewise after commit
    fields = dict(answer_file=bank_file, answered_at=now, paid_count=paid_count, paid_fen=paid_fen,
                  failed_count=failed_count, failed_fen=failed_fen)
    audit_after = {"filename": bank_file.filename, "sha256": bank_file.sha256, "paid_count": paid_count,
                   "paid_fen": paid_fen, "failed_count": failed_count, "failed_fen": failed_fen}
    if superseding:  # the unconfirmed X this authenticated R overrides is named in the audit event
        fields.update(rejection_code="", rejection_text="")
        audit_after["superseded_rejection"] = {"code": order.rejection_code, "file_id": order.answer_file_id}
    order_transition(actor=actor, order_id=order.pk, action="answer", system=True, fields=fields, audit_after=audit_after)
    ref = batch_ref(order.batch)
    if paid_fen:
        record_paid_for_ref(actor=actor, ref=ref, amount_fen=paid_fen)
    if failed_fen:
        release_for_ref(actor=actor, ref=ref, amount_fen=failed_fen)
    action = "result_partly_failed" if failed_count else "result_paid"
    batch = system_apply(actor=actor, batch_id=order.batch_id, action=action,
                         reason=f"回盘 {bank_file.filename}：成功 {paid_count} 笔，失败 {failed_count} 笔")
    if batch.parent_id is not None:
        try_close(actor=actor, batch=batch)


def _record_paid_origins(order: PaymentOrder, bank_file) -> None:
    """One PaidOrigin per paid line, set-based; its primary key (the origin) refuses a person paid twice."""
    lines, paid = PaymentOrderItem._meta.db_table, PaidOrigin._meta.db_table
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(f'INSERT INTO "{paid}" (origin_id, line_id) SELECT origin_id, id FROM "{lines}" '
                        "WHERE order_id = %s AND status = %s", [order.pk, str(ItemStatus.PAID)])
    except IntegrityError:
        raise IngestRefused("INGEST_ALREADY_PAID_ELSEWHERE", filename=bank_file.filename,
                            batch_no=order.batch_no) from None


def _rejected(actor, order: PaymentOrder, rejection, bank_file) -> None:
    if rejection.batch_no != order.batch_no:
        raise IngestRefused("INGEST_REJECTION_BATCH_MISMATCH", batch_no=rejection.batch_no)
    order_transition(actor=actor, order_id=order.pk, action="reject", system=True, fields=dict(
        answer_file=bank_file, answered_at=timezone.now(), rejection_code=rejection.code,
        rejection_text=rejection.text[:300]), audit_after={
        "filename": bank_file.filename, "code": rejection.code, "text": rejection.text})


def bank_inbox_collect(*, actor=None, connector: BankConnector | None = None) -> list[tuple[str, object]]:
    """Ingest every answer waiting in the inbox, then archive it — in that order, one file at a
    time: the file leaves the inbox only after its ingest committed (transaction.on_commit, so a
    caller's outer transaction is waited for too). A refused file stays in the inbox, unless it was
    kept as evidence (its refusal `recorded`). Returns (filename, Ingested or the refusal)."""
    connector = connector or OutboxConnector()
    report = []
    for name in connector.answers():
        try:
            data = connector.read(name)
        except FileNotFoundError:  # archived meanwhile by another collector
            continue
        fault_point("payments.collect.after_download")
        try:
            outcome = bank_answer_ingest(actor=actor, filename=name, data=data)
        except BankFileConflict as exc:
            report.append((name, IngestRefused("INGEST_FILE_CONFLICT", filename=name, detail=str(exc))))
            continue
        except IngestRefused as exc:
            report.append((name, exc))
            if not exc.params.get("recorded"):
                continue
        else:
            report.append((name, outcome))
        transaction.on_commit(lambda name=name, data=data: _archive(connector, name, data))
    return report


def _archive(connector: BankConnector, name: str, data: bytes) -> None:
    """Take the file out of the inbox — only if its very bytes are kept, sealed, in BankFile."""
    fault_point("payments.collect.before_archive")
    if BankFile.objects.filter(filename=name, sha256=sealed.digest(data)).exists():
        connector.archive(name, data)
