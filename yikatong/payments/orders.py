"""Payment orders (支付申请): created from a finance-approved batch (the quota is committed),
released by the treasury (国库), then written to the payment file, archived and delivered.

Every call is one transaction with one audit event; the actor is checked against role and region.
"""
from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core.crypto import vault
from yikatong.core.refusals import Forbidden
from yikatong.funds.services import commit_for_batch
from yikatong.rosters import scope, transitions
from yikatong.rosters.models import Batch, BatchState

from . import bans
from .errors import PaymentError
from .exchange.codes import ID_CARD, USCC
from .exchange.connector import BankConnector, OutboxConnector
from .exchange.paymentfile import PaymentLine, write_payment_file
from .banks import next_batch_no, store_bank_file
from .flow import ORDERS, order_transition
from .models import BankAgreement, OrderState, PaymentOrder, PaymentOrderItem
from .rejections import assert_payee_clean

__all__ = ["order_create", "order_release", "order_send", "order_resend", "origin_of", "payment_file_download"]


def _require(actor, roles, batch: Batch, what: str) -> None:
    """Role and scope through the batch (rosters.scope; a ScopeRefused is a PermissionDenied)."""
    scope.require_change(actor, batch, roles, what)


def _county(batch: Batch) -> str:
    return batch.region_id[:6]


def _agreement_for(batch: Batch, agreement_id: int | None) -> BankAgreement:
    today = timezone.localdate()
    qs = BankAgreement.objects.select_related("bank", "payer").filter(
        bank__is_active=True, payer__region_id=_county(batch).ljust(12, "0"), valid_from__lte=today,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    qs = qs.filter(Q(department__isnull=True) | Q(department_id=batch.department_id))
    if agreement_id is not None:
        agreement = qs.filter(pk=agreement_id).first()
        if agreement is None:
            raise PaymentError("ORDER_AGREEMENT_INVALID")
        return agreement
    found = list(qs[:2])
    if len(found) != 1:
        raise PaymentError("ORDER_AGREEMENT_AMBIGUOUS" if found else "ORDER_AGREEMENT_MISSING")
    return found[0]


def _require_three_party(batch: Batch, agreement: BankAgreement) -> None:
    """Where the batch's profile requires it (seed 003), a bank pays only under the three-party agreement
    finance bureau – department – bank, with its signed text on file: checked on current data when the
    order is created and again when its file is sent (an agreement registered before the rule applied,
    or one without its document, is refused by code)."""
    from yikatong.core.profiles import get_profile

    from .models import AgreementDocument

    if not get_profile(batch.profile_code).three_party_agreement:
        return
    if agreement.department_id is None or agreement.department_id != batch.department_id \
            or not AgreementDocument.objects.filter(agreement=agreement).exists():
        raise PaymentError("ORDER_THREE_PARTY_MISSING", bank=str(agreement.bank), batch=batch.code)


def _refuse_cleared(batch: Batch) -> None:
    """A quota cleared at year end (清算) has had its balance recovered: nothing more is drawn on it."""
    from yikatong.funds.selectors import quotas_for_batch

    from .models import Clearing

    cleared = Clearing.objects.filter(quota__in=quotas_for_batch(batch)).select_related("quota").first()
    if cleared is not None:
        raise PaymentError("ORDER_QUOTA_CLEARED", batch=batch.code, doc_number=cleared.quota.doc_number,
                           year=cleared.year)


def origin_of(batch_item) -> int:
    """The roster item first approved for this person and period (a reissued item's origin)."""
    from .models import Reissue

    link = Reissue.objects.filter(new_item=batch_item).select_related("source").first()
    return link.source.origin_id if link is not None else batch_item.pk


def _insert_lines(order: PaymentOrder, batch: Batch) -> None:
    """One payment line per active roster item, in roster order, in one INSERT … SELECT (a batch may hold a
    million items: no model instances). A reissued item's origin is its source line's origin (origin_of)."""
    from yikatong.rosters.models import BatchItem

    from .models import Reissue

    fixed = {"order_id": "%s", "seq": "ROW_NUMBER() OVER (ORDER BY bi.seq)", "batch_item_id": "bi.id",
             "origin_id": "COALESCE(src.origin_id, bi.id)", "item_ref": "bi.item_ref", "amount_fen": "bi.amount_fen"}
    names, exprs, params = [], [], []
    for f in PaymentOrderItem._meta.concrete_fields:
        if f.primary_key:
            continue
        names.append(f'"{f.column}"')
        if f.attname in fixed:
            exprs.append(fixed[f.attname])
            if f.attname == "order_id":
                params.append(order.pk)
        else:  # every other column takes its model default (status pending, empty texts, NULL times)
            exprs.append("%s")
            value = f.get_db_prep_save(f.get_default(), connection)
            params.append(str(value) if isinstance(value, str) else value)  # a TextChoices member as plain str
    held_sql, held_params = _held_subquery(batch)
    sql = (f'INSERT INTO "{PaymentOrderItem._meta.db_table}" ({", ".join(names)}) '
           f'SELECT {", ".join(exprs)} FROM "{BatchItem._meta.db_table}" bi '
           f'LEFT JOIN "{Reissue._meta.db_table}" r ON r.new_item_id = bi.id '
           f'LEFT JOIN "{PaymentOrderItem._meta.db_table}" src ON src.id = r.source_id '
           f"WHERE bi.batch_id = %s AND bi.status = %s{held_sql} ORDER BY bi.seq")
    with connection.cursor() as cur:
        cur.execute(sql, [*params, batch.pk, "active", *held_params])


def _held_subquery(batch: Batch) -> tuple[str, tuple]:
    """`AND bi.id NOT IN (…)`: items a confirmed or transferred finding holds out of payment
    (checks.selectors.held_item_ids, DESIGN §6.9); nothing when the cross-checks are not installed."""
    from django.apps import apps

    if not apps.is_installed("yikatong.checks"):
        return "", ()
    from yikatong.checks.selectors import held_item_ids

    sql, params = held_item_ids(batch).query.sql_with_params()
    return f" AND bi.id NOT IN ({sql})", tuple(params)


def _held(batch: Batch) -> list[dict]:
    """The held items of `batch` (item_ref, amount, reason) for the order's audit event."""
    from django.apps import apps

    if not apps.is_installed("yikatong.checks"):
        return []
    from yikatong.checks.selectors import held_items

    return [{"item_ref": i.item_ref, "amount_fen": i.amount_fen, "reason": f"疑点{_held_label(i.held_state)}：{i.held_rule}"}
            for i in held_items(batch)]


def _held_label(state: str) -> str:
    return "已移送线索" if state == "transferred" else "已确认"


def _new_order(*, actor, batch: Batch, agreement: BankAgreement, replaces: PaymentOrder | None) -> PaymentOrder:
    agg = batch.items.filter(status="active").aggregate(n=Count("id"), s=Sum("amount_fen"))
    if not agg["n"]:
        raise PaymentError("ORDER_NO_ACTIVE_ITEMS", batch=batch.code)
    if agg["s"] != batch.total_fen or agg["n"] != batch.item_count:
        raise PaymentError("ORDER_TOTALS_MISMATCH", batch=batch.code)
    bans.assert_allowed(batch)  # seed 004: own account only, no cash, no onward transfer
    # an item with a confirmed finding (or one transferred as a clue) is not paid: left out of the lines
    held = _held(batch)
    count, total = agg["n"] - len(held), agg["s"] - sum(h["amount_fen"] for h in held)
    if not count:
        raise PaymentError("ORDER_ALL_HELD", batch=batch.code, held=len(held))
    batch_no = next_batch_no(actor=actor, county_code=_county(batch), year=timezone.localdate().year)
    order = PaymentOrder.objects.create(batch=batch, agreement=agreement, batch_no=batch_no, item_count=count,
                                        total_fen=total, created_by=actor, replaces=replaces)
    _insert_lines(order, batch)
    written = order.items.aggregate(n=Count("id"), s=Sum("amount_fen"))
    if (written["n"] or 0) != count or (written["s"] or 0) != total:  # the two reads of held items must agree
        raise PaymentError("ORDER_LINES_MISMATCH", batch=batch.code)
    order.excluded = held
    return order


@transaction.atomic
def order_create(*, actor, batch_id: int, agreement_id: int | None = None) -> PaymentOrder:
    """支付申请 for a batch finance has approved; commits the batch total on its quotas."""
    batch = Batch.objects.select_for_update().select_related("policy").get(pk=batch_id)
    _require(actor, {Role.FINANCE_REVIEWER}, batch, "生成支付申请")
    if batch.state != BatchState.APPROVED:
        raise PaymentError("ORDER_BATCH_NOT_APPROVED", batch=batch.code)
    if PaymentOrder.objects.filter(batch=batch).exclude(state=OrderState.REJECTED).exists():
        raise PaymentError("ORDER_EXISTS", batch=batch.code)
    _refuse_cleared(batch)
    assert_payee_clean(batch)  # data a bank file cannot carry is refused here, naming the items (PAYEE_*)
    agreement = _agreement_for(batch, agreement_id)
    _require_three_party(batch, agreement)
    order = _new_order(actor=actor, batch=batch, agreement=agreement, replaces=None)
    commit_for_batch(actor=actor, batch=batch, amount_fen=order.total_fen)  # held items are not committed
    record(actor=actor, action="payments.order.create", obj=order, after={
        "batch": batch.code, "batch_no": order.batch_no, "bank": agreement.bank.code,
        "item_count": order.item_count, "total_fen": order.total_fen, "excluded": order.excluded})
    return order


def _lock(order_id: int) -> PaymentOrder:
    return PaymentOrder.objects.select_for_update().select_related("batch", "agreement__bank").get(pk=order_id)


@transaction.atomic
def order_release(*, actor, order_id: int) -> PaymentOrder:
    """国库科支付: the treasury releases the money; the batch moves approved -> paying."""
    order = _lock(order_id)
    _require(actor, {Role.TREASURY}, order.batch, "办理国库支付")
    order = order_transition(actor=actor, order_id=order.pk, action="release",
                        fields={"released_by": actor, "released_at": timezone.now()})
    batch = order.batch
    if batch.state == BatchState.APPROVED:
        transitions.batch_transition(actor=actor, batch_id=batch.pk, action="pay")
    elif order.replaces_id is None or batch.state != BatchState.PAYING:
        raise PaymentError("ORDER_BATCH_NOT_PAYABLE", batch=batch.code, state=batch.get_state_display())
    order.refresh_from_db()
    return order


def _lines(order: PaymentOrder):
    """The order's lines as PaymentLines, streamed from the database in seq order (no model instances)."""
    decrypt = vault().decrypt
    rows = order.items.order_by("seq").values_list(
        "item_ref", "amount_fen", "batch_item__account_enc", "batch_item__account_holder", "batch_item__name",
        "batch_item__is_org", "batch_item__id_enc").iterator(chunk_size=10_000)
    for ref, amount, account_enc, holder, name, is_org, id_enc in rows:
        yield PaymentLine(ref, decrypt(account_enc), holder or name, USCC if is_org else ID_CARD, decrypt(id_enc),
                          amount, "")


@transaction.atomic
def order_send(*, actor, order_id: int, connector: BankConnector | None = None) -> PaymentOrder:
    """Write the payment file (specs/bank-exchange.md), archive it byte for byte and deliver it.

    The file is archived before delivery inside this transaction: if delivery fails nothing is
    recorded; a batch number whose file was stored is never written again."""
    order = _lock(order_id)
    _require(actor, {Role.TREASURY}, order.batch, "发送代发文件")
    ORDERS.require(order, "send")  # a batch number's file is written and sent once
    agreement, batch = order.agreement, order.batch
    assert_payee_clean(batch)  # refused by code, naming the items, before the file is begun (never a stuck batch)
    _require_three_party(batch, agreement)
    today = timezone.localdate()
    filename, data = write_payment_file(
        bank_code=agreement.bank.code, batch_no=order.batch_no, business_date=today,
        payer_account=agreement.payer_account, payer_name=agreement.payer_name, policy_code=batch.policy.code,
        policy_name=batch.policy.name, lines=_lines(order), key=agreement.mac_key(), alg=agreement.mac_alg,
    )
    bank_file, created = store_bank_file(actor=actor, bank=agreement.bank, filename=filename, content=data)
    if not created:
        raise PaymentError("PAYMENT_FILE_SENT", filename=filename)
    order = order_transition(actor=actor, order_id=order.pk, action="send",
                        fields={"payment_file": bank_file, "business_date": today, "sent_at": timezone.now()},
                        audit_after={"filename": filename, "sha256": bank_file.sha256})
    (connector or OutboxConnector()).deliver(filename, data)  # last: a refused step delivers nothing
    from yikatong.core.faults import fault_point  # crash tests: core/tests/test_faults.py
    fault_point("payments.send.after_deliver")  # killed here: the state rolls back, redelivery is a no-op
    return order


@transaction.atomic
def order_resend(*, actor, order_id: int) -> PaymentOrder:
    """After a file-level rejection: a new order for the same batch under a NEW batch number."""
    old = _lock(order_id)
    _require(actor, {Role.FINANCE_REVIEWER, Role.TREASURY}, old.batch, "重新生成支付申请")
    if old.state != OrderState.REJECTED:
        raise PaymentError("ORDER_NOT_REJECTED", batch_no=old.batch_no)
    if old.rejection_confirmed_at is None:  # an X file has no MAC: it may be forged
        raise PaymentError("REJECTION_UNCONFIRMED", batch_no=old.batch_no)
    if PaymentOrder.objects.filter(replaces=old).exists():
        raise PaymentError("ORDER_ALREADY_REPLACED", batch_no=old.batch_no)
    batch = Batch.objects.select_for_update().select_related("policy").get(pk=old.batch_id)
    assert_payee_clean(batch)  # items the bank refused are corrected first (rejections.payee_items_correct)
    order = _new_order(actor=actor, batch=batch, agreement=old.agreement, replaces=old)
    record(actor=actor, action="payments.order.resend", obj=order,
           after={"replaces": old.batch_no, "batch_no": order.batch_no, "rejection_code": old.rejection_code,
                  "item_count": order.item_count, "total_fen": order.total_fen, "excluded": order.excluded})
    return order


@transaction.atomic
def payment_file_download(*, actor, order_id: int):
    """The order's payment file (BankFile) for the treasury of its region or the agent bank it was sent to;
    audited (who took which file, how many lines — never the lines: it holds full accounts and IDs)."""
    from .selectors import bank_orders_for

    order = PaymentOrder.objects.select_related("batch", "agreement__bank", "payment_file").get(pk=order_id)
    if not bank_orders_for(actor).filter(pk=order.pk).exists():
        if not getattr(actor, "is_authenticated", False) or not actor.has_role(Role.TREASURY):
            raise Forbidden("PAYMENT_FILE_NOT_ALLOWED")
        answer = scope.refusal(actor, order.batch, {Role.TREASURY}, what="下载代发文件", write=False)
        if answer is not None:
            raise answer
    if order.payment_file_id is None:
        raise PaymentError("PAYMENT_FILE_NOT_WRITTEN", batch_no=order.batch_no)
    f = order.payment_file
    record(actor=actor, action="payments.order.file_download", obj=order,
           after={"filename": f.filename, "sha256": f.sha256, "rows": order.item_count})
    return f
