"""账户变更申请: the township station asks to pay a person into another account; the township finance
office (a second person) approves or refuses it; from its effective date the old account is closed and
the new one is current (registry.account_flow). Full numbers never reach the audit trail: masked only."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core import sealed
from yikatong.core.crypto import vault
from yikatong.core.downloads import sniff
from yikatong.core.identifiers import IdentifierError, validate_account_number
from yikatong.core.masking import mask_card
from yikatong.core.refusals import invalid

from ..account_flow import account_change_transition, is_due
from ..choices import AccountChangeState, AccountKind, PersonStatus
from ..errors import AccountChangeRefused, RegistryNotFound
from ..models import AccountChangeRequest, BankAccount, Person
from ..models.cards import CHANGE_ATTACHMENT_PURPOSE
from ..permissions import ACCOUNT_CHANGE_REQUEST_ROLES, require_role

OPEN_STATES = (AccountChangeState.PENDING, AccountChangeState.APPROVED)


@transaction.atomic
def account_change_request(*, actor, person_id: int, account_no: str, bank: str, reason: str,
                           effective_date: dt.date, kind: str = AccountKind.SSC, holder_name: str = "",
                           attachment: bytes | None = None, attachment_name: str = "") -> AccountChangeRequest:
    """The station's request: new bank and number (encrypted, blind-indexed), reason, effective date,
    an optional scan (PDF/JPEG/PNG, sealed at rest)."""
    require_role(actor, ACCOUNT_CHANGE_REQUEST_ROLES, "申请账户变更")
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None or not region_in_scope(actor, person.village_id):
        raise RegistryNotFound("PERSON_NOT_IN_SCOPE")
    if person.status != PersonStatus.NORMAL:
        raise invalid("ACCOUNT_CHANGE_PERSON_INACTIVE", status=person.get_status_display())
    open_ = AccountChangeRequest.objects.filter(person=person, state__in=OPEN_STATES).first()
    if open_ is not None:
        raise invalid("ACCOUNT_CHANGE_PENDING_EXISTS", pk=open_.pk)
    if kind not in AccountKind.values or kind == AccountKind.CORPORATE:
        kind = AccountKind.SSC
    try:
        number = validate_account_number((account_no or "").strip(), card=kind in (AccountKind.SSC, AccountKind.BANK_CARD))
    except IdentifierError as exc:
        raise invalid("ACCOUNT_CHANGE_ACCOUNT_INVALID", problem=str(exc)) from exc
    bank, reason = (bank or "").strip(), (reason or "").strip()
    if not bank:
        raise invalid("ACCOUNT_CHANGE_BANK_REQUIRED")
    if not reason:
        raise invalid("ACCOUNT_CHANGE_REASON_REQUIRED")
    v = vault()
    current = BankAccount.objects.filter(person=person, is_current=True).first()
    if current is not None and current.number_bidx == v.index(number):
        raise invalid("ACCOUNT_CHANGE_SAME_ACCOUNT")
    files = {}
    if attachment:
        ctype = sniff(attachment)
        if ctype is None:
            raise invalid("ACCOUNT_CHANGE_ATTACHMENT_TYPE", name=(attachment_name or "附件")[:60])
        box = sealed.seal(attachment, purpose=CHANGE_ATTACHMENT_PURPOSE)
        files = dict(attachment_name=(attachment_name or "附件")[:200], attachment_type=ctype,
                     attachment_sha256=box.sha256, attachment_enc=box.blob)
    req = AccountChangeRequest.objects.create(
        person=person, old_account=current, kind=kind, bank=bank[:60], number_enc=v.encrypt(number),
        number_bidx=v.index(number), number_masked=mask_card(number), holder_name=(holder_name or person.name)[:100],
        reason=reason[:200], effective_date=effective_date, requested_by=actor, **files)
    record(actor=actor, action="registry.account_change.request", obj=req, after={
        "person": person.pk, "bank": req.bank, "account": req.number_masked, "kind": kind,
        "reason": req.reason, "effective_date": effective_date.isoformat(), "attachment": bool(files)})
    return req


def _visible(actor, request_id: int) -> AccountChangeRequest:
    req = AccountChangeRequest.objects.select_related("person").filter(pk=request_id).first()
    if req is None or not region_in_scope(actor, req.person.village_id):
        raise RegistryNotFound("ACCOUNT_CHANGE_NOT_IN_SCOPE")
    return req


@transaction.atomic
def account_change_decide(*, actor, request_id: int, approve: bool, reason: str = "") -> AccountChangeRequest:
    """Approve or refuse (with reason) a pending request; never by its requester (four eyes, a guard of
    the transition). An approved request whose effective date has come is applied at once."""
    _visible(actor, request_id)
    reason = (reason or "").strip()[:200]
    fields = dict(decided_by=actor, decided_at=timezone.now(), decision_reason=reason)
    req = account_change_transition(actor=actor, request_id=request_id, action="approve" if approve else "refuse",
                                    reason=reason, fields=fields)
    if approve and is_due(req):
        req = account_change_transition(actor=actor, request_id=req.pk, action="apply", system=True,
                                        audit_after={"account": req.number_masked})
    return req


def account_changes_apply_due(*, actor=None) -> int:
    """Apply every approved request whose effective date has come (the daily schedule); each in its own
    transaction, so one refused (the account changed meanwhile) does not hold back the others."""
    today = timezone.localdate()
    applied = 0
    ids = AccountChangeRequest.objects.filter(state=AccountChangeState.APPROVED, effective_date__lte=today)
    for pk, masked in ids.values_list("pk", "number_masked"):
        try:
            account_change_transition(actor=actor, request_id=pk, action="apply", system=True,
                                      audit_after={"account": masked})
            applied += 1
        except AccountChangeRefused:  # e.g. the account changed meanwhile: it stays approved, shown on the page
            continue
    return applied
