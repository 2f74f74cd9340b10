"""Confirming a file-level rejection (X) with the bank before the batch is resent, and correcting
the payee data the bank refused.

A rejection file carries no MAC (specs/bank-exchange.md), so anyone able to drop a file in the
inbox could forge one and make Yikatong resend a batch the bank may in fact be paying. A finance
user therefore confirms the rejection with the bank by telephone or letter (已与银行核实拒收)
before `orders.order_resend` is allowed.

When the bank refused the file because of an item's data (F04 names the line), or when the file
could not even be written (a payee name holding "|", left by an import before such data was
refused), the township station corrects the offending items (`payee_items_correct`: account,
holder name, name, bank; audited with before and after, masked) while nothing of the batch is at
the bank; the finance office then resends (`orders.order_resend`) and the batch goes on to paid.
`assert_payee_clean` is the check run before any order or resend writes lines: data a bank file
cannot carry is refused with its PAYEE_* code, naming the items, instead of a stuck batch.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.rosters import scope
from yikatong.rosters.models import Batch, BatchEvent, BatchItem

from .errors import PaymentError
from .models import OrderState, PaymentOrder

__all__ = ["rejection_confirm", "payee_items_correct", "assert_payee_clean"]

_FIXABLE = frozenset({"account", "account_holder", "name", "bank_name", "use_register_account"})
_SHOWN = 5


@transaction.atomic
def rejection_confirm(*, actor, order_id: int, note: str) -> PaymentOrder:
    """Record that a finance user checked the rejection with the bank; `note` says how and with whom."""
    order = PaymentOrder.objects.select_for_update().select_related("batch").get(pk=order_id)
    scope.require_change(actor, order.batch, {Role.FINANCE_REVIEWER}, "核实银行拒收")  # through the batch
    note = (note or "").strip()
    if not note:
        raise PaymentError("REJECTION_NOTE_REQUIRED", batch_no=order.batch_no)
    if order.state != OrderState.REJECTED:
        raise PaymentError("REJECTION_NOT_TO_CONFIRM", batch_no=order.batch_no)
    if order.rejection_confirmed_at is not None:
        raise PaymentError("REJECTION_CONFIRMED", batch_no=order.batch_no,
                           at=f"{timezone.localtime(order.rejection_confirmed_at):%Y-%m-%d %H:%M}")
    now = timezone.now()
    PaymentOrder.objects.filter(pk=order.pk).update(
        rejection_confirmed_by=actor, rejection_confirmed_at=now, rejection_confirm_note=note[:200])
    record(actor=actor, action="payments.order.confirm_rejection", obj=order, before={"confirmed": False},
           after={"confirmed": True, "rejection_code": order.rejection_code, "note": note[:200]})
    order.refresh_from_db()
    return order


def _payee_problems(batch: Batch) -> list[tuple[str, str, str]]:
    """(item_ref, column, code) of active items whose name, holder or bank a bank file cannot carry.
    Accounts are digits by the time they are stored (validated at import and correction)."""
    from yikatong.rosters.importer import spec as S
    from yikatong.rosters.importer.payee import payee_problems

    found = []
    rows = batch.items.filter(status="active").order_by("seq").values_list(
        "item_ref", "name", "account_holder", "bank_name").iterator(chunk_size=10_000)
    for ref, name, holder, bank in rows:
        for column, code, _ in payee_problems({S.NAME: name, S.HOLDER: holder, S.BANK: bank}):
            found.append((ref, column, code))
    return found


def assert_payee_clean(batch: Batch) -> None:
    """Refuse (PAYEE_UNFIT_FOR_BANK, the code of the first problem in `params`) before lines are written
    for a batch holding payee data a bank file cannot carry."""
    found = _payee_problems(batch)
    if found:
        items = "；".join(f"{ref}“{column}”" for ref, column, _ in found[:_SHOWN])
        raise PaymentError("PAYEE_UNFIT_FOR_BANK", batch=batch.code, count=len(found),
                           items=items + (f" 等 {len(found)} 处" if len(found) > _SHOWN else ""), first=found[0][2])


def _assert_nothing_at_bank(batch: Batch, orders: list[PaymentOrder]) -> None:
    """Payee data may change only while no file of the batch is (or may be) at the bank: every live
    order unsent, every rejected one confirmed with the bank."""
    if batch.state not in ("approved", "paying"):
        raise PaymentError("PAYEE_FIX_STATE", batch=batch.code)
    for order in orders:
        if order.state == OrderState.REJECTED:
            at_bank = order.rejection_confirmed_at is None  # an X file has no MAC: the bank may be paying
        else:
            at_bank = order.state in (OrderState.SENT, OrderState.ANSWERED) or order.payment_file_id is not None
        if at_bank:
            raise PaymentError("PAYEE_FIX_AT_BANK", batch=batch.code, batch_no=order.batch_no)


def _awaiting_resend(orders: list[PaymentOrder]) -> bool:
    """Every order of the batch rejected (X) and confirmed with the bank, and at least one: a resend is due."""
    return bool(orders) and all(o.state == OrderState.REJECTED and o.rejection_confirmed_at is not None
                                for o in orders)


@transaction.atomic
def payee_items_correct(*, actor, batch_id: int, corrections: dict[str, dict], reason: str) -> list[BatchItem]:
    """更正收款信息: the station corrects account, holder, name or bank of items of an approved or paying
    batch none of whose files is at the bank (never sent, or rejected and confirmed); an account only
    when the bank rejected the file and a resend is due. Same checks as the roster import (PAYEE_*
    codes) and the seed 004 bans; one audit event with before and after (accounts masked); finance,
    a second person, then creates or resends the order."""
    from yikatong.rosters.importer import spec as S
    from yikatong.rosters.importer.payee import first_refusal

    from .changed_accounts import changed_account_correction
    from .reissue import corrected_payee_fields

    # the batch's orders are locked first (as release and resend do: order, then batch), so a send
    # writing the file finishes before this looks, and then finds the file at the bank
    orders = list(PaymentOrder.objects.select_for_update().filter(batch_id=batch_id).order_by("pk"))
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    scope.require_change(actor, batch, {Role.TOWNSHIP_OPERATOR}, "更正收款信息")  # the batch's own station only
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError("PAYEE_FIX_REASON")
    if not corrections:
        raise PaymentError("PAYEE_FIX_EMPTY")
    _assert_nothing_at_bank(batch, orders)
    items = {i.item_ref: i for i in BatchItem.objects.select_for_update().filter(
        batch=batch, status="active", item_ref__in=list(corrections))}
    unknown = sorted(set(corrections) - set(items))
    if unknown:
        raise PaymentError("PAYEE_FIX_UNKNOWN_ITEMS", items="、".join(unknown[:_SHOWN]), batch=batch.code)
    changes = {}
    for ref, change in sorted(corrections.items()):
        bad = sorted(set(change) - _FIXABLE)
        if bad:
            raise PaymentError("PAYEE_FIX_FIELD", item=ref, field="、".join(bad))
        if change.get("use_register_account"):  # the account an applied change (账户变更) made current
            registered = changed_account_correction(items[ref])
            if registered is None:
                raise PaymentError("PAYEE_FIX_NO_ACCOUNT_CHANGE", item=ref)
            change = {**registered, **{k: v for k, v in change.items() if k != "use_register_account"}}
        fields, changed = corrected_payee_fields(ref, change)
        name = (change.get("name") or "").strip()
        if name:
            refusal = first_refusal({S.NAME: name}, where=f"明细 {ref} 更正后的")
            if refusal:
                raise PaymentError(*refusal)
            fields["name"] = name
            changed.append("name")
        changes[ref] = (fields, changed)
    if any("account" in changed for _, changed in changes.values()) and not _awaiting_resend(orders):
        # after approval an account changes only where the bank refused the file: never a quiet redirect
        raise PaymentError("PAYEE_FIX_ACCOUNT", batch=batch.code)
    shown = ("name", "account_holder", "bank_name", "account_masked")
    before, after = {}, {}
    for ref, (fields, changed) in changes.items():
        item = items[ref]
        before[ref] = {f: getattr(item, f) for f in shown}
        for f, v in fields.items():
            setattr(item, f, v)
        item.save(update_fields=list(fields))
        after[ref] = {f: getattr(item, f) for f in shown}
    from . import bans

    # a correction may not pay into someone else's account (seed 004): the corrected items' breaches refuse it
    corrected_seqs = {items[ref].seq for ref in changes}
    found = [b for b in bans.breaches(batch) if b.seq in corrected_seqs]
    if found:
        raise PaymentError("PAYEE_FIX_BANNED", bans.message(batch, found))
    BatchEvent.objects.create(batch=batch, action="correct_payee", label="更正收款信息", actor=actor,
                              reason=f"{reason[:150]}（{len(changes)} 条明细）")
    record(actor=actor, action="payments.payee.correct", obj=batch, before=before,
           after={"items": after, "reason": reason[:200]})
    if any("account" in changed for _, changed in changes.values()):
        from django.apps import apps

        if apps.is_installed("yikatong.checks"):  # a new account is cross-checked again (shared card, status…)
            from yikatong.checks.tasks import enqueue_batch_check

            enqueue_batch_check(actor=actor, batch_id=batch.pk)
    return [items[ref] for ref in changes]
