"""Payment orders (支付申请): created from a finance-approved batch (the quota is committed),
released by the treasury (国库), then written to the payment file, archived and delivered.

Every call is one transaction with one audit event; the actor is checked against role and region.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.funds.services import commit_for_batch
from yikatong.registry.pii import vault
from yikatong.rosters import transitions
from yikatong.rosters.models import Batch

from . import bans
from .errors import PaymentError
from .exchange.codes import ID_CARD, USCC
from .exchange.connector import BankConnector, OutboxConnector
from .exchange.paymentfile import PaymentLine, write_payment_file
from .exchange.services import next_batch_no, store_bank_file
from .models import BankAgreement, OrderState, PaymentOrder, PaymentOrderItem

__all__ = ["create_order", "release", "send", "resend", "origin_of"]


def _require(actor, roles, region_code: str, what: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*roles):
        raise PermissionDenied(f"您的角色不能{what}")
    if not region_in_scope(actor, region_code):
        raise PermissionDenied(f"该批次不在您的辖区内，不能{what}")


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
            raise PaymentError("所选代发协议不存在、已失效或不属于本县本部门")
        return agreement
    found = list(qs[:2])
    if len(found) != 1:
        raise PaymentError("本县有效的代发协议不是恰好一份，请选择代发协议" if found else "本县没有有效的代发协议，请先登记")
    return found[0]


def _refuse_cleared(batch: Batch) -> None:
    """A quota cleared at year end (清算) has had its balance recovered: nothing more is drawn on it."""
    from yikatong.funds.selectors import quotas_for_batch

    from .models import Clearing

    cleared = Clearing.objects.filter(quota__in=quotas_for_batch(batch)).select_related("quota").first()
    if cleared is not None:
        raise PaymentError(f"批次 {batch.code} 的资金指标 {cleared.quota.doc_number} 已办理 {cleared.year} 年终清算，"
                           "结余已收回，不能再生成支付申请")


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
    sql = (f'INSERT INTO "{PaymentOrderItem._meta.db_table}" ({", ".join(names)}) '
           f'SELECT {", ".join(exprs)} FROM "{BatchItem._meta.db_table}" bi '
           f'LEFT JOIN "{Reissue._meta.db_table}" r ON r.new_item_id = bi.id '
           f'LEFT JOIN "{PaymentOrderItem._meta.db_table}" src ON src.id = r.source_id '
           f"WHERE bi.batch_id = %s AND bi.status = %s ORDER BY bi.seq")
    with connection.cursor() as cur:
        cur.execute(sql, [*params, batch.pk, "active"])


def _new_order(*, actor, batch: Batch, agreement: BankAgreement, replaces: PaymentOrder | None) -> PaymentOrder:
    agg = batch.items.filter(status="active").aggregate(n=Count("id"), s=Sum("amount_fen"))
    if not agg["n"]:
        raise PaymentError(f"批次 {batch.code} 没有有效明细")
    if agg["s"] != batch.total_fen or agg["n"] != batch.item_count:
        raise PaymentError(f"批次 {batch.code} 的明细合计与批次汇总不符，请核查")
    bans.assert_allowed(batch)  # seed 004: own account only, no cash, no onward transfer
    batch_no = next_batch_no(actor=actor, county_code=_county(batch), year=timezone.localdate().year)
    order = PaymentOrder.objects.create(batch=batch, agreement=agreement, batch_no=batch_no, item_count=agg["n"],
                                        total_fen=agg["s"], created_by=actor, replaces=replaces)
    _insert_lines(order, batch)
    return order


@transaction.atomic
def create_order(*, actor, batch_id: int, agreement_id: int | None = None) -> PaymentOrder:
    """支付申请 for a batch finance has approved; commits the batch total on its quotas."""
    batch = Batch.objects.select_for_update().select_related("policy").get(pk=batch_id)
    _require(actor, {Role.FINANCE_REVIEWER}, batch.region_id, "生成支付申请")
    if batch.state != "approved":
        raise PaymentError(f"批次 {batch.code} 尚未通过财政审核（或已在支付中），不能生成支付申请")
    if PaymentOrder.objects.filter(batch=batch).exclude(state=OrderState.REJECTED).exists():
        raise PaymentError(f"批次 {batch.code} 已有支付申请")
    _refuse_cleared(batch)
    agreement = _agreement_for(batch, agreement_id)
    order = _new_order(actor=actor, batch=batch, agreement=agreement, replaces=None)
    commit_for_batch(actor=actor, batch=batch)
    record(actor=actor, action="payments.order.create", obj=order, after={
        "batch": batch.code, "batch_no": order.batch_no, "bank": agreement.bank.code,
        "item_count": order.item_count, "total_fen": order.total_fen})
    return order


def _lock(order_id: int) -> PaymentOrder:
    return PaymentOrder.objects.select_for_update().select_related("batch", "agreement__bank").get(pk=order_id)


@transaction.atomic
def release(*, actor, order_id: int) -> PaymentOrder:
    """国库科支付: the treasury releases the money; the batch moves approved -> paying."""
    order = _lock(order_id)
    _require(actor, {Role.TREASURY}, order.batch.region_id, "办理国库支付")
    if order.state != OrderState.CREATED:
        raise PaymentError(f"支付申请 {order.batch_no} 当前为“{order.get_state_display()}”，不能再办理支付")
    PaymentOrder.objects.filter(pk=order.pk).update(state=OrderState.RELEASED, released_by=actor,
                                                    released_at=timezone.now())
    if order.batch.state == "approved":
        transitions.apply(actor=actor, batch_id=order.batch_id, action="pay")
    elif order.replaces_id is None or order.batch.state != "paying":
        raise PaymentError(f"批次 {order.batch.code} 当前状态不能支付")
    record(actor=actor, action="payments.order.release", obj=order, before={"state": order.state},
           after={"state": OrderState.RELEASED})
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
def send(*, actor, order_id: int, connector: BankConnector | None = None) -> PaymentOrder:
    """Write the payment file (specs/bank-exchange.md), archive it byte for byte and deliver it.

    The file is archived before delivery inside this transaction: if delivery fails nothing is
    recorded; a batch number whose file was stored is never written again."""
    order = _lock(order_id)
    _require(actor, {Role.TREASURY}, order.batch.region_id, "发送代发文件")
    if order.state != OrderState.RELEASED:
        raise PaymentError(f"支付申请 {order.batch_no} 当前为“{order.get_state_display()}”，不能发送"
                           "（同一批次号的文件只发送一次）")
    agreement, batch = order.agreement, order.batch
    today = timezone.localdate()
    filename, data = write_payment_file(
        bank_code=agreement.bank.code, batch_no=order.batch_no, business_date=today,
        payer_account=agreement.payer_account, payer_name=agreement.payer_name, policy_code=batch.policy.code,
        policy_name=batch.policy.name, lines=_lines(order), key=agreement.mac_key(), alg=agreement.mac_alg,
    )
    bank_file, created = store_bank_file(actor=actor, bank=agreement.bank, filename=filename, content=data)
    if not created:
        raise PaymentError(f"代发文件 {filename} 已发送过，不得重复发送")
    (connector or OutboxConnector()).deliver(filename, data)
    from yikatong.core.faults import fault_point  # crash tests: core/tests/test_faults.py
    fault_point("payments.send.after_deliver")
    PaymentOrder.objects.filter(pk=order.pk).update(state=OrderState.SENT, payment_file=bank_file, business_date=today,
                                                    sent_at=timezone.now())
    record(actor=actor, action="payments.order.send", obj=order, before={"state": order.state},
           after={"state": OrderState.SENT, "filename": filename, "sha256": bank_file.sha256})
    order.refresh_from_db()
    return order


@transaction.atomic
def resend(*, actor, order_id: int) -> PaymentOrder:
    """After a file-level rejection: a new order for the same batch under a NEW batch number."""
    old = _lock(order_id)
    _require(actor, {Role.FINANCE_REVIEWER, Role.TREASURY}, old.batch.region_id, "重新生成支付申请")
    if old.state != OrderState.REJECTED:
        raise PaymentError(f"支付申请 {old.batch_no} 未被银行拒收，不能重发")
    if old.rejection_confirmed_at is None:  # an X file has no MAC: it may be forged
        raise PaymentError(f"支付申请 {old.batch_no} 的整批拒收尚未由财政业务科室与银行核实，不能重发")
    if PaymentOrder.objects.filter(replaces=old).exists():
        raise PaymentError(f"支付申请 {old.batch_no} 已重新生成过")
    batch = Batch.objects.select_for_update().select_related("policy").get(pk=old.batch_id)
    order = _new_order(actor=actor, batch=batch, agreement=old.agreement, replaces=old)
    record(actor=actor, action="payments.order.resend", obj=order,
           after={"replaces": old.batch_no, "batch_no": order.batch_no, "rejection_code": old.rejection_code})
    return order
