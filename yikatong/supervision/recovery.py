"""Writes of accountability (追回/问责, issue 16 §4). Keyword-only, explicit actor, one transaction and one
audit event each; the state only through supervision.recovery_flow.

- `recovery_open`: a finance reviewer of the batch's region opens the recovery of a confirmed finding (or one
  transferred as a clue not found unsubstantiated) on a paid item: amount ≤ what was paid (rosters.hooks
  .paid_line, filled by payments), debtor the payee, due in the profile's recovery_due_working_days.
- `repayment_record`: a repayment with its voucher number and sealed evidence; given back to the quotas that
  paid (funds.services.record_recovered_for_ref, a RECOVERY movement) and the state moved on.
- `recovery_write_off`: 核销 with a reason, four eyes (not the opener).
- `recovery_transfer`: 移送纪委监委 — attach the recovery to an existing clue (by case number) or open the clue of
  its finding (supervision.transfer.open_clue); the clue's case file then carries the recovery.
- `sanction_record`: a handling/sanction record (处理处分) of a recovery or a clue."""
import datetime
import re

from django.db import transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core import calendar
from yikatong.core.money import Money
from yikatong.core.profiles import get_profile
from yikatong.core.refusals import Forbidden, invalid
from yikatong.core.serials import take_next
from yikatong.core.statemachine import apply
from yikatong.funds.services import batch_ref, record_recovered_for_ref
from yikatong.rosters import hooks as roster_hooks
from yikatong.rosters import scope

from . import errors  # noqa: F401  (registers the refusal messages)
from .models import Clue, ClueState, Conclusion
from .recovery_files import seal_evidence
from .recovery_flow import RECOVERIES
from .recovery_models import Measure, Recovery, RecoveryNumberSequence, RecoveryState, Repayment, Sanction

OPEN_ROLES = frozenset({Role.FINANCE_REVIEWER})
TRANSFER_ROLES = frozenset({Role.FINANCE_REVIEWER, Role.SUPERVISOR})
SANCTION_ROLES = frozenset({Role.FINANCE_REVIEWER, Role.SUPERVISOR})
LIVE = (RecoveryState.OPEN, RecoveryState.PARTLY_REPAID)
_PERSONAL = re.compile(r"\d{7,}")


def _amount(value, code: str, **params) -> int:
    if type(value) is not int or value <= 0:
        raise invalid(code, amount=repr(value), **params)
    return value


def _authenticated(actor, roles, code: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*roles):
        raise Forbidden(code)


def county_finance(actor) -> bool:
    """A finance reviewer of a county (or lower) bureau: who opens recoveries and records repayments (the seeds
    put the county finance bureau in charge of the money and of transferring problems to 纪委监委)."""
    region = getattr(actor, "region", None)
    return actor.has_role(Role.FINANCE_REVIEWER) and region is not None and region.level >= 3


def _county_finance(actor) -> None:
    _authenticated(actor, OPEN_ROLES, "RECOVERY_ROLE")
    if not county_finance(actor):
        raise Forbidden("RECOVERY_ROLE")


def _locked(actor, recovery_id: int, roles, *, write: bool) -> Recovery:
    r = Recovery.objects.select_for_update(of=("self",)).select_related("batch", "region").get(pk=recovery_id)
    if (write and not scope.may_change_batch(actor, r.batch, roles)) or (
            not write and scope.refusal(actor, r.batch, roles, write=False) is not None):
        raise Forbidden("RECOVERY_NOT_IN_SCOPE")
    return r


def may_open(finding) -> bool:
    """Confirmed, or transferred as a clue that was not concluded unsubstantiated (不属实)."""
    from yikatong.checks.models import FindingState

    if finding.state == FindingState.CONFIRMED:
        return True
    return finding.state == FindingState.TRANSFERRED and not Clue.objects.filter(
        finding=finding, state=ClueState.CONCLUDED, conclusion=Conclusion.UNSUBSTANTIATED).exists()


def due_on(batch, opened: datetime.date) -> datetime.date:
    return calendar.add_working_days(opened, get_profile(batch.profile_code).recovery_due_working_days)


def recovery_open(*, actor, finding_id: int, reason: str, amount_fen: int | None = None) -> Recovery:
    from yikatong.checks.models import Finding
    from yikatong.rosters.models import Batch

    reason = (reason or "").strip()
    _county_finance(actor)
    if not reason:
        raise invalid("RECOVERY_REASON_REQUIRED")
    with transaction.atomic():
        f = (Finding.objects.select_for_update(of=("self",)).select_related("batch__region", "item")
             .filter(pk=finding_id).first())
        if f is None or f.batch is None or not scope.may_change_batch(actor, f.batch, OPEN_ROLES):
            raise Forbidden("RECOVERY_NOT_IN_SCOPE")
        if not may_open(f):
            raise invalid("RECOVERY_FINDING_NOT_CONFIRMED", finding=f.pk, state=f.get_state_display())
        if f.item is None:
            raise invalid("RECOVERY_FINDING_NO_ITEM", finding=f.pk)
        existing = Recovery.objects.filter(finding=f).first()
        if existing is not None:
            raise invalid("RECOVERY_EXISTS", finding=f.pk, recovery_no=existing.recovery_no)
        line = roster_hooks.paid_line(f.item)
        if line is None:
            raise invalid("RECOVERY_ITEM_NOT_PAID", finding=f.pk)
        paid = line["amount_fen"]
        amount = paid if amount_fen is None else amount_fen
        if type(amount) is not int or not 0 < amount <= paid:
            raise invalid("RECOVERY_AMOUNT_INVALID", paid=str(Money(paid)), amount=repr(amount_fen))
        now = timezone.now()
        today = timezone.localdate(now)
        county = f.batch.region_id[:6]
        _, serial = take_next(RecoveryNumberSequence, county_code=county, year=today.year, what="追回编号")
        r = Recovery.objects.create(
            recovery_no=f"ZH-{county}-{today.year}-{serial:06d}", finding=f, batch=f.batch, item=f.item,
            region=f.batch.region, clue=Clue.objects.filter(finding=f).first(), debtor_name=f.item.name,
            paid_fen=paid, amount_fen=amount, fund_ref=batch_ref(Batch.objects.get(pk=line["batch_id"])),
            reason=reason, due_on=due_on(f.batch, today), opened_by=actor, opened_at=now)
        record(actor=actor, action="supervision.recovery.open", obj=r, object_repr=r.recovery_no, after={
            "finding": f.pk, "amount_fen": amount, "paid_fen": paid, "due_on": str(r.due_on), "fund_ref": r.fund_ref,
            "clue": r.clue.case_no if r.clue else None})
    return r


def repayment_record(*, actor, recovery_id: int, amount_fen: int, repaid_on: datetime.date, voucher_no: str,
                     evidence_name: str, evidence_data: bytes | None) -> Repayment:
    voucher_no = (voucher_no or "").strip()[:60]
    _county_finance(actor)
    _amount(amount_fen, "REPAYMENT_AMOUNT_INVALID")
    if not voucher_no:
        raise invalid("REPAYMENT_VOUCHER_REQUIRED")
    sealed = seal_evidence(evidence_name, evidence_data)
    with transaction.atomic():
        r = _locked(actor, recovery_id, OPEN_ROLES, write=True)
        if r.state not in LIVE:
            raise invalid("RECOVERY_STATE_NOT_ALLOWED", recovery_no=r.recovery_no, state=r.get_state_display(),
                          action="登记缴回")
        if amount_fen > r.outstanding_fen:
            raise invalid("REPAYMENT_EXCEEDS_OUTSTANDING", recovery_no=r.recovery_no,
                          outstanding=str(Money(r.outstanding_fen)), amount=str(Money(amount_fen)))
        opened = timezone.localdate(r.opened_at)
        if not isinstance(repaid_on, datetime.date) or repaid_on < opened or repaid_on > timezone.localdate():
            raise invalid("REPAYMENT_DATE_INVALID", day=str(repaid_on)[:10], opened=str(opened))
        if Repayment.objects.filter(recovery=r, voucher_no=voucher_no).exists():
            raise invalid("REPAYMENT_VOUCHER_DUPLICATE", voucher=voucher_no)
        pay = Repayment.objects.create(recovery=r, amount_fen=amount_fen, repaid_on=repaid_on, voucher_no=voucher_no,
                                       recorded_by=actor, **sealed)
        entries = record_recovered_for_ref(actor=actor, ref=r.fund_ref, amount_fen=amount_fen)  # the quota ledger
        repaid = r.repaid_fen + amount_fen
        settled = repaid == r.amount_fen
        apply(RECOVERIES, actor=actor, pk=r.pk, action="settle" if settled else "repay",
              fields={"repaid_fen": repaid, **({"closed_on": repaid_on} if settled else {})},
              audit_after={"amount_fen": amount_fen, "repaid_fen": repaid, "voucher_no": voucher_no,
                           "repaid_on": str(repaid_on), "evidence_sha256": sealed["evidence_sha256"],
                           "fund_ref": r.fund_ref, "quotas": [e.quota_id for e in entries]})
    return pay


def recovery_write_off(*, actor, recovery_id: int, reason: str) -> Recovery:
    reason = (reason or "").strip()
    _county_finance(actor)
    if not reason:
        raise invalid("RECOVERY_WRITE_OFF_REASON_REQUIRED")
    now = timezone.now()
    return apply(RECOVERIES, actor=actor, pk=recovery_id, action="write_off", reason=reason, fields={
        "write_off_reason": reason, "written_off_by": actor, "written_off_at": now,
        "closed_on": timezone.localdate(now)})


def recovery_transfer(*, actor, recovery_id: int, reason: str = "", case_no: str = "") -> Recovery:
    """Attach to the clue `case_no` (of the recovery's county, in the actor's scope), or open the clue of the
    recovery's finding with `reason` (移送纪委监委)."""
    from yikatong.checks.models import Finding

    from .selectors import clues_for
    from .transfer import open_clue

    reason, case_no = (reason or "").strip(), (case_no or "").strip()
    _authenticated(actor, TRANSFER_ROLES, "RECOVERY_ROLE")
    if not case_no and not reason:
        raise invalid("RECOVERY_TRANSFER_REASON_REQUIRED")
    with transaction.atomic():
        r = _locked(actor, recovery_id, TRANSFER_ROLES, write=False)
        if r.clue_id:
            raise invalid("RECOVERY_CLUE_ATTACHED", recovery_no=r.recovery_no, case_no=r.clue.case_no)
        opened = False
        if case_no:
            clue = clues_for(actor).filter(case_no=case_no).first()
            if clue is None or clue.region_id[:6] != r.region_id[:6]:
                raise invalid("RECOVERY_CLUE_NOT_IN_SCOPE", case_no=case_no)
        else:
            clue = Clue.objects.filter(finding_id=r.finding_id).first()
            if clue is None:
                finding = Finding.objects.select_related("batch__region").get(pk=r.finding_id)
                clue = open_clue(actor=actor, finding=finding, reason=reason, now=timezone.now())
                opened = True
        Recovery.objects.filter(pk=r.pk).update(clue=clue)
        record(actor=actor, action="supervision.recovery.transfer", obj=r, object_repr=r.recovery_no,
               after={"case_no": clue.case_no, "clue_opened": opened, "reason": reason[:500]})
    r.refresh_from_db()
    return r


def sanction_record(*, actor, position: str, measure: str, decided_on: datetime.date, doc_number: str,
                    recovery_id: int | None = None, clue_id: int | None = None, note: str = "") -> Sanction:
    from .selectors import clues_for

    position, doc_number, note = ((v or "").strip() for v in (position, doc_number, note))
    _authenticated(actor, SANCTION_ROLES, "SANCTION_ROLE")
    if (recovery_id is None) == (clue_id is None):
        raise invalid("SANCTION_TARGET_REQUIRED")
    if not position:
        raise invalid("SANCTION_POSITION_REQUIRED")
    if _PERSONAL.search(position) or _PERSONAL.search(note):
        raise invalid("SANCTION_POSITION_PERSONAL")
    if measure not in Measure.values:
        raise invalid("SANCTION_MEASURE_INVALID")
    if not doc_number:
        raise invalid("SANCTION_DOC_REQUIRED")
    if not isinstance(decided_on, datetime.date) or decided_on > timezone.localdate():
        raise invalid("SANCTION_DATE_INVALID")
    with transaction.atomic():
        if recovery_id is not None:
            target = {"recovery": _locked(actor, recovery_id, SANCTION_ROLES, write=False)}
        else:
            clue = clues_for(actor).select_for_update(of=("self",)).filter(pk=clue_id).first()
            if clue is None:
                raise Forbidden("CLUE_NOT_IN_SCOPE", case_no="")
            target = {"clue": clue}
        s = Sanction.objects.create(position=position[:100], measure=measure, decided_on=decided_on,
                                    doc_number=doc_number[:100], note=note[:300], recorded_by=actor, **target)
        obj = next(iter(target.values()))
        record(actor=actor, action="supervision.sanction.record", obj=obj, object_repr=str(obj), after={
            "sanction": s.pk, "position": s.position, "measure": measure, "decided_on": str(decided_on),
            "doc_number": s.doc_number})
    return s


__all__ = ["recovery_open", "repayment_record", "recovery_write_off", "recovery_transfer", "sanction_record",
           "may_open", "due_on", "county_finance"]
