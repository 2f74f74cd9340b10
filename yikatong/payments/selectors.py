"""Reads of payment orders and agreements. `unsettled_failures` is a system read used by the batch flow guard;
`agreement_for` is one too (no actor): background work (the bank simulator, result ingestion) uses it
to find the key of a bank file."""
from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from yikatong.accounts.roles import Role
from yikatong.rosters import scope

from yikatong.accounts.scope import in_scope

from yikatong.accounts.models import Organization

from .models import AgentBank, AgreementDocument, BankAgreement, ItemStatus, OrderState, PaymentOrder, PaymentOrderItem

READERS = frozenset({Role.FINANCE_REVIEWER, Role.TREASURY, Role.SUPERVISOR, Role.SYSADMIN})


def orders_for(actor) -> QuerySet[PaymentOrder]:
    """Orders of the batches finance, treasury and supervisors see (rosters.scope through the batch)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*READERS):
        return PaymentOrder.objects.none()
    qs = PaymentOrder.objects.select_related("batch", "batch__policy", "agreement__bank")
    return scope.scoped(qs, actor, "batch__", roles=READERS)


def bank_orders_for(actor) -> QuerySet[PaymentOrder]:
    """Orders whose payment file was written for the agent bank the actor (代发金融机构) works for, in any
    state after sending (waiting for the answer, answered, rejected). Anyone else: nothing."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(Role.BANK) \
            or actor.organization_id is None:
        return PaymentOrder.objects.none()
    return (PaymentOrder.objects.filter(agreement__bank__organization_id=actor.organization_id,
                                        payment_file__isnull=False)
            .select_related("agreement__bank", "batch__policy", "payment_file", "answer_file"))


def order_actions(actor, order: PaymentOrder) -> list[str]:
    """What the actor may do with the order now (the order page's buttons and the API's `transitions`):
    release, send, download (the payment file), confirm_rejection, resend. The services check again."""
    has = actor.has_role
    actions = []
    if has(Role.TREASURY) and order.state == OrderState.CREATED:
        actions.append("release")
    if has(Role.TREASURY) and order.state == OrderState.RELEASED:
        actions.append("send")
    if order.payment_file_id is not None and (has(Role.TREASURY) or bank_orders_for(actor).filter(pk=order.pk).exists()):
        actions.append("download")
    if has(Role.FINANCE_REVIEWER) and order.state == OrderState.REJECTED and order.rejection_confirmed_at is None:
        actions.append("confirm_rejection")
    if has(Role.FINANCE_REVIEWER, Role.TREASURY) and order.state == OrderState.REJECTED \
            and not hasattr(order, "replaced_by") and order.rejection_confirmed_at is not None:
        actions.append("resend")
    return actions


#: who reads a batch's failed lines and its post-payment notice
FAILURE_READERS = frozenset({Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_FINANCE, Role.DEPT_REVIEWER, Role.DEPT_HEAD,
                             Role.FINANCE_REVIEWER, Role.TREASURY, Role.SUPERVISOR})


def failures_refusal(actor, batch):
    """None when the actor sees the batch in a role that reads failures (rosters.scope), else the refusal."""
    return scope.refusal(actor, batch, FAILURE_READERS, write=False, what="查看失败明细")


#: who may read an agreement's signed text: finance, treasury, supervisors and admins of the payer's region
AGREEMENT_DOCUMENT_READERS = READERS


def agreement_documents_for(actor) -> QuerySet[AgreementDocument]:
    """Signed agreement texts the actor may download: a reader role, and the payer (财政局) in the
    actor's region subtree (accounts.scope.in_scope). Anyone else: nothing."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*AGREEMENT_DOCUMENT_READERS):
        return AgreementDocument.objects.none()
    return in_scope(AgreementDocument.objects.all(), actor, "agreement__payer__region")


def _reader(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.has_role(*READERS)


def banks_for(actor) -> QuerySet[AgentBank]:
    """Agent banks whose organization lies in the actor's region subtree, for the readers (finance,
    treasury, supervisors, admins); anyone else: nothing. The banks page and GET /api/payments/banks."""
    if not _reader(actor):
        return AgentBank.objects.none()
    return in_scope(AgentBank.objects.select_related("organization", "organization__region"), actor,
                    "organization__region")


def agreements_for(actor) -> QuerySet[BankAgreement]:
    """Agreements whose payer (财政局) lies in the actor's region subtree, for the readers; anyone else:
    nothing. The signed text's presence rides along as `has_document`."""
    if not _reader(actor):
        return BankAgreement.objects.none()
    qs = BankAgreement.objects.select_related("bank", "payer", "department").annotate(
        has_document=Exists(AgreementDocument.objects.filter(agreement_id=OuterRef("pk"))))
    return in_scope(qs, actor, "payer__region")


def organizations_for_banks(actor, kind: str) -> QuerySet[Organization]:
    """Organizations of `kind` in the actor's region subtree: the choices of the bank and agreement forms
    (agent banks, payers, departments). The services check the region again."""
    if not _reader(actor):
        return Organization.objects.none()
    return in_scope(Organization.objects.filter(kind=kind, is_active=True), actor).order_by("code")


def unsettled_failures(batch) -> list[PaymentOrderItem]:
    """Failed lines of the batch's answered orders whose person is neither paid (here or in a
    reissue) nor written off."""
    paid_elsewhere = PaymentOrderItem.objects.filter(origin_id=OuterRef("origin_id"), status=ItemStatus.PAID)
    return list(PaymentOrderItem.objects.filter(
        order__batch=batch, order__state=OrderState.ANSWERED, status=ItemStatus.FAILED, written_off_reason="",
    ).exclude(Exists(paid_elsewhere)))


def failed_items(batch) -> QuerySet[PaymentOrderItem]:
    """Failed lines of a batch with their reason (the usual fix comes from the spec's table)."""
    return PaymentOrderItem.objects.filter(order__batch=batch, order__state=OrderState.ANSWERED,
                                           status=ItemStatus.FAILED).select_related("batch_item")


def answer_due(order: PaymentOrder):
    """The day the bank's result is due (payments.deadlines): pay-within working days after the
    business day, then report-within days; None when the agreement sets no limit."""
    from .deadlines import answer_due as due

    return due(order)


def agreements_on(bank_code: str, day: datetime.date) -> QuerySet[BankAgreement]:
    """Agreements of an active bank in force on `day`."""
    return BankAgreement.objects.select_related("bank").filter(
        bank__code=bank_code, bank__is_active=True, valid_from__lte=day
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def agreement_for(*, bank_code: str, payer_account: str, day: datetime.date) -> BankAgreement | None:
    """The agreement of this bank and payer account in force on `day` (accounts are compared decrypted)."""
    matches = [a for a in agreements_on(bank_code, day) if a.payer_account == payer_account]
    return matches[0] if len(matches) == 1 else None


def fund_returns_for(actor) -> QuerySet:
    """Failed-fund returns (payments.returns) of the orders the actor reads as finance/treasury/supervisor of
    the batch's region or as the agent bank the order was sent to; anyone else: nothing."""
    from .models import FundReturn

    return FundReturn.objects.filter(order__in=orders_readable(actor)).select_related("order")


def orders_readable(actor) -> QuerySet[PaymentOrder]:
    """Orders the actor reads either as a reader of the batch's region (orders_for) or as the bank they went to."""
    return PaymentOrder.objects.filter(Q(pk__in=orders_for(actor).order_by().values("pk"))
                                       | Q(pk__in=bank_orders_for(actor).order_by().values("pk")))


def paid_line(batch_item) -> dict | None:
    """The paid line of a roster item, as the origin of its person and period or as the item itself (a
    reissued item): amount, the paying order's batch, when (rosters.hooks.paid_line). A system read."""
    line = (PaymentOrderItem.objects.filter(Q(origin_id=batch_item.pk) | Q(batch_item_id=batch_item.pk),
                                            status=ItemStatus.PAID)
            .select_related("order").order_by("pk").first())
    if line is None:
        return None
    return {"amount_fen": line.amount_fen, "batch_id": line.order.batch_id, "paid_at": line.paid_at, "line_id": line.pk}
