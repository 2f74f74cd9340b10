"""Drawing a whole batch on the quotas that fund it (for rosters and payments).

A batch of a township may draw on quotas of its township and its county, for its policy and
year, held by nobody or by the batch's department. The money is committed across them in order
(department quotas first, then the deepest region), all or nothing, under one reference.
"""
from django.db import transaction

from yikatong.audit.services import record
from yikatong.core.money import Money
from yikatong.core.refusals import invalid

from .. import errors  # noqa: F401  (registers the refusal messages)
from ..models import FundCommitment, FundMovement, MovementKind
from ..selectors import quotas_for_batch
from .ledger import check_amount, commit_part, settle_part


def batch_ref(batch) -> str:
    return f"batch:{batch.code}"


@transaction.atomic
def commit_for_batch(*, actor, batch, amount_fen: int | None = None, ref: str | None = None) -> list[FundCommitment]:
    """Commit `amount_fen` (default: the batch total) for the batch. Safe to call twice: an
    existing commitment under the same ref is returned as it is."""
    ref = ref or batch_ref(batch)
    amount_fen = check_amount(batch.total_fen if amount_fen is None else amount_fen)
    existing = list(FundCommitment.objects.filter(ref=ref).select_related("quota").order_by("pk"))
    if existing:
        if sum(c.committed_fen for c in existing) != amount_fen:
            raise invalid("REF_AMOUNT_MISMATCH", ref=ref)
        return existing
    # Lock the candidate quotas in a fixed order so two batches never deadlock.
    quotas = list(quotas_for_batch(batch).select_for_update())
    quotas.sort(key=lambda q: (q.holder_id is None, -q.region.level, q.pk))
    remaining, parts = amount_fen, []
    for quota in quotas:
        take = min(quota.balance_fen, remaining)
        if take > 0:
            parts.append(commit_part(quota, take, ref, actor))
            remaining -= take
        if remaining == 0:
            break
    if remaining:
        raise invalid("BATCH_QUOTA_INSUFFICIENT", batch=batch.code, needed=str(Money(amount_fen)),
                      available=str(Money(amount_fen - remaining)))
    record(actor=actor, action="funds.commit_batch", obj=batch, object_type="rosters.batch",
           after={"ref": ref, "amount_fen": amount_fen, "quotas": [c.quota_id for c in parts]})
    return parts


def _settle_ref(actor, ref: str, amount_fen: int | None, *, paid: bool) -> int:
    commitments = list(FundCommitment.objects.select_for_update().select_related("quota").filter(ref=ref).order_by("pk"))
    if not commitments:
        raise invalid("REF_NOT_COMMITTED", ref=ref)
    outstanding = sum(c.outstanding_fen for c in commitments)
    amount_fen = outstanding if amount_fen is None else check_amount(amount_fen)
    if amount_fen > outstanding:
        raise invalid("REF_OUTSTANDING_SHORT", ref=ref, outstanding=str(Money(outstanding)), amount=str(Money(amount_fen)))
    remaining = amount_fen
    for c in commitments:
        take = min(c.outstanding_fen, remaining)
        if take:
            settle_part(c, take, actor, paid=paid)
            remaining -= take
    return amount_fen


@transaction.atomic
def record_paid_for_ref(*, actor, ref: str, amount_fen: int) -> int:
    """The bank paid `amount_fen` of what was committed under `ref`."""
    done = _settle_ref(actor, ref, amount_fen, paid=True)
    record(actor=actor, action="funds.paid", object_type="funds.ref", object_id=ref, object_repr=ref,
           after={"ref": ref, "amount_fen": done})
    return done


@transaction.atomic
def release_for_ref(*, actor, ref: str, amount_fen: int | None = None) -> int:
    """Release (all or part of) what is still committed under `ref` back to the quotas."""
    done = _settle_ref(actor, ref, amount_fen, paid=False)
    if done:
        record(actor=actor, action="funds.release", object_type="funds.ref", object_id=ref, object_repr=ref,
               after={"ref": ref, "amount_fen": done})
    return done


def record_returned_for_ref(*, actor, ref: str, amount_fen: int) -> list[FundMovement]:
    """The agent bank returned `amount_fen` of failed funds of `ref` through the original channel: a
    RETURN entry on the quotas the failed amount was released to at the bank's answer (oldest commitment
    first, up to what each released), so the ledger traces every failed fen back to the treasury. No
    balance changes: the release already made the amount available. Part of the caller's transaction and
    audit event (payments.returns.fund_return_record)."""
    check_amount(amount_fen)
    commitments = list(FundCommitment.objects.select_related("quota").filter(ref=ref).order_by("pk"))
    if not commitments:
        raise invalid("REF_NOT_COMMITTED", ref=ref)
    user = actor if getattr(actor, "is_authenticated", False) else None
    entries, remaining = [], amount_fen
    for i, c in enumerate(commitments):
        returned = sum(FundMovement.objects.filter(quota=c.quota, ref=ref, kind=MovementKind.RETURN)
                       .values_list("amount_fen", flat=True))
        last = i == len(commitments) - 1
        take = remaining if last else min(remaining, max(c.released_fen - returned, 0))
        if take:
            entries.append(FundMovement.objects.create(quota=c.quota, kind=MovementKind.RETURN, amount_fen=take,
                                                       ref=ref, actor=user))
            remaining -= take
        if not remaining:
            break
    return entries
