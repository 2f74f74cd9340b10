"""Failed items: correction, reissue (补发) and write-off.

A reissue is a new roster batch (kind reissue, parent = the failed batch) holding only the failed
items not yet reissued, corrected as the township says, under new item_refs. It starts as a draft
and runs the short cycle (finance office re-compares, department re-reviews, finance re-checks).
An E08 (duplicate) failure is never reissued: it is flagged and must be written off after the check.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from stdnum import luhn

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core.crypto import vault
from yikatong.core.identifiers import normalize_account
from yikatong.core.masking import mask_card
from yikatong.core.money import Money
from yikatong.rosters import scope
from yikatong.rosters.models import Batch, BatchEvent, BatchItem, BatchKind

from . import reissue_guards  # noqa: F401  (the REISSUE_* codes and the reissue guard)
from .changed_accounts import use_changed_accounts
from .errors import PaymentError
from .exchange.fields import check_account
from .flow import try_close
from .models import ItemStatus, OrderState, PaymentOrderItem, Reissue
from .selectors import unsettled_failures

__all__ = ["reissue_create", "order_item_write_off"]


def _reissue_code(batch: Batch) -> str:
    root = batch
    while root.parent_id is not None:
        root = root.parent
    n = Batch.objects.filter(code__startswith=f"{root.code}-BF").count() + 1
    while Batch.objects.filter(code=f"{root.code}-BF{n:02d}").exists():
        n += 1
    return f"{root.code}-BF{n:02d}"


CORRECTABLE = frozenset({"account", "account_holder", "bank_name", "amount_fen"})


def corrected_payee_fields(item_ref: str, change: dict, *, error=PaymentError) -> tuple[dict, list[str]]:
    """Field values of an item after a correction of its payee data: account (账号), holder name (户名),
    bank name. Refused with the PAYEE_* codes of the roster import (a bank file cannot carry them)."""
    from yikatong.rosters.importer import spec as S
    from yikatong.rosters.importer.payee import first_refusal

    where = f"明细 {item_ref} 更正后的"
    fields, changed = {}, []
    account = change.get("account")
    if account:
        account = normalize_account(account)
        refusal = first_refusal({S.ACCOUNT: account}, where=where)
        if refusal:
            raise error(refusal[0], refusal[1])
        problem = check_account(account) or (None if luhn.is_valid(account) else "校验位不正确")
        if problem:
            raise error("REISSUE_ACCOUNT_INVALID", item=item_ref, problem=problem)
        v = vault()
        fields.update(account_enc=v.encrypt(account), account_bidx=v.index(account), account_masked=mask_card(account),
                      account_valid=True)  # checked just above
        changed.append("account")
    holder = (change.get("account_holder") or "").strip()
    if holder:
        refusal = first_refusal({S.HOLDER: holder}, where=where)
        if refusal:
            raise error(refusal[0], refusal[1])
        fields["account_holder"] = holder
        changed.append("account_holder")
    bank_name = (change.get("bank_name") or "").strip()
    if bank_name:
        refusal = first_refusal({S.BANK: bank_name}, where=where)
        if refusal:
            raise error(refusal[0], refusal[1])
        fields["bank_name"] = bank_name[:60]
        changed.append("bank_name")
    return fields, changed


def _corrected_fields(batch: Batch, line: PaymentOrderItem, change: dict) -> tuple[dict, list[str]]:
    """A reissued item's corrections: payee data, and an amount no higher than the failed line's."""
    unknown = sorted(set(change) - CORRECTABLE)
    if unknown:
        raise PaymentError("REISSUE_CORRECTION_FIELD", item=line.item_ref, field="、".join(unknown))
    fields, changed = corrected_payee_fields(line.item_ref, change)
    amount = change.get("amount_fen")
    if amount is not None:
        if type(amount) is not int or amount <= 0:
            raise PaymentError("REISSUE_AMOUNT_INVALID", item=line.item_ref)
        if amount > line.amount_fen:
            raise PaymentError("REISSUE_AMOUNT_ABOVE_ORIGIN", batch=f"（{batch.code} 的补发）", count=1,
                               items=f"明细 {line.item_ref}（{Money.from_fen(amount)}，原金额 "
                                     f"{Money.from_fen(line.amount_fen)}）")
        fields["amount_fen"] = amount
        changed.append("amount_fen")
    return fields, changed


_COPIED = ("name", "id_enc", "id_bidx", "id_masked", "is_org", "person_id", "village_id", "household_no", "relation",
           "phone_enc", "phone_masked", "bank_name", "account_enc", "account_bidx", "account_masked", "account_holder",
           "quantity", "standard_fen", "amount_fen", "warnings", "compare", "id_valid", "account_valid", "birth_date",
           "phone_bidx")


@transaction.atomic
def reissue_create(*, actor, batch_id: int, corrections: dict[str, dict] | None = None) -> Batch:
    """A reissue batch (补发) of the batch's failed items not yet reissued nor written off.

    `corrections` maps the failed line's item_ref to {"account", "account_holder", "bank_name"}.
    E08 (duplicate) failures are never reissued."""
    corrections = corrections or {}
    batch = Batch.objects.select_for_update().select_related("policy", "region", "department").get(pk=batch_id)
    # only the station that built the roster corrects its failures and reissues (rosters.scope)
    scope.require_change(actor, batch, {Role.TOWNSHIP_OPERATOR}, "更正失败明细并生成补发批次")
    if batch.state != "partly_failed":
        raise PaymentError("REISSUE_NOT_PARTLY_FAILED", batch=batch.code)
    failed = [i for i in unsettled_failures(batch) if not i.do_not_repay and not hasattr(i, "reissue")]
    failed = [i for i in PaymentOrderItem.objects.filter(pk__in=[f.pk for f in failed], reissue__isnull=True)
              .select_related("batch_item").order_by("order_id", "seq")]
    if not failed:
        raise PaymentError("REISSUE_NO_FAILURES", batch=batch.code)
    unknown = set(corrections) - {i.item_ref for i in failed}
    if unknown:
        raise PaymentError("REISSUE_UNKNOWN_ITEMS", items="、".join(sorted(unknown)))
    # every correction is checked before anything is written
    corrected = {line.item_ref: _corrected_fields(batch, line, corrections.get(line.item_ref, {})) for line in failed}
    use_changed_accounts(failed, corrected)  # an approved, effective account change (registry) is paid into
    reissue = Batch.objects.create(
        code=_reissue_code(batch), kind=BatchKind.REISSUE, parent=batch, policy=batch.policy, period=batch.period,
        region=batch.region, department=batch.department, profile_code=batch.profile_code, state="draft",
        state_since=timezone.now(), created_by=actor,
    )
    for seq, line in enumerate(failed, 1):
        src = line.batch_item
        fields = {name: getattr(src, name) for name in _COPIED}
        changes, changed = corrected[line.item_ref]
        fields.update(changes)
        fields["amount_fen"] = min(fields["amount_fen"], line.amount_fen)  # never above the failed line
        new = BatchItem.objects.create(
            batch=reissue, seq=seq, item_ref=f"{reissue.code}-{seq:06d}",
            memo=f"补发：原明细 {line.item_ref}，{line.reason_code} {line.reason_text}"[:200], **fields)
        Reissue.objects.create(source=line, new_item=new, corrected=changed, created_by=actor)
    agg = reissue.items.aggregate(n=Count("id"), s=Sum("amount_fen"))
    Batch.objects.filter(pk=reissue.pk).update(item_count=agg["n"], total_fen=agg["s"])
    BatchEvent.objects.create(batch=reissue, action="create", label="生成补发批次", to_state="draft", actor=actor,
                              reason=f"原批次 {batch.code} 的 {len(failed)} 笔失败明细")
    record(actor=actor, action="payments.reissue.create", obj=reissue, after={
        "parent": batch.code, "items": [line.item_ref for line in failed],
        "corrected": {ref: sorted(c) for ref, c in corrections.items()}, "total_fen": agg["s"]})
    reissue.refresh_from_db()
    problem = reissue_guards.verify_reissue(reissue)  # belt and braces: what was built is what the guard accepts
    if problem is not None:
        raise PaymentError(problem.code, problem.message)
    return reissue


@transaction.atomic
def order_item_write_off(*, actor, order_item_id: int, reason: str) -> PaymentOrderItem:
    """核销: a failed line that will not be paid (e.g. E08 after checking, or the person died), with reason."""
    line = PaymentOrderItem.objects.select_for_update().select_related("order__batch").get(pk=order_item_id)
    batch = line.order.batch
    # finance of the region, or the head of the batch's owning department (rosters.scope)
    scope.require_change(actor, batch, {Role.FINANCE_REVIEWER, Role.DEPT_HEAD}, "核销失败明细")
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError("WRITE_OFF_REASON_REQUIRED")
    if line.status != ItemStatus.FAILED or line.order.state != OrderState.ANSWERED or line.written_off_reason:
        raise PaymentError("WRITE_OFF_NOT_FAILED", item=line.item_ref)
    if hasattr(line, "reissue") and line.reissue.new_item.status != "removed":
        raise PaymentError("WRITE_OFF_REISSUED", item=line.item_ref)
    line.written_off_reason = reason[:200]
    line.save(update_fields=["written_off_reason"])
    record(actor=actor, action="payments.item.write_off", obj=line,
           after={"item_ref": line.item_ref, "reason_code": line.reason_code, "reason": line.written_off_reason})
    try_close(actor=actor, batch=batch)
    return line
