"""Repayments of an improper payment (追回) back onto the quotas that paid it.

A recovered amount is the reverse of a payment: on the quotas the payment `ref` (e.g. a batch's
"batch:<code>") was paid from, oldest commitment first and up to what each paid less what was already
recovered there, `paid_fen` goes down and the balance up by the same amount, and a RECOVERY movement
names the ref. So the ledger's RECOVERY entries of a ref always sum to what was repaid on it, and no
ref gives back more than it paid (REF_RECOVERY_EXCEEDS_PAID). The commitment rows keep what was paid.

Part of the caller's transaction and audit event (supervision.recovery.repayment_record)."""
from django.db.models import Sum

from yikatong.core.money import Money
from yikatong.core.refusals import invalid

from .. import errors  # noqa: F401  (registers the refusal messages)
from ..models import FundCommitment, FundMovement, MovementKind
from .ledger import check_amount, give_back


def recovered_on(ref: str, quota_id: int | None = None) -> int:
    """Fen already recovered under `ref` (on one quota, or on all)."""
    qs = FundMovement.objects.filter(ref=ref, kind=MovementKind.RECOVERY)
    if quota_id is not None:
        qs = qs.filter(quota_id=quota_id)
    return qs.aggregate(s=Sum("amount_fen"))["s"] or 0


def record_recovered_for_ref(*, actor, ref: str, amount_fen: int) -> list[FundMovement]:
    """Give `amount_fen` recovered of payment `ref` back to its quotas; the RECOVERY movements written."""
    check_amount(amount_fen)
    commitments = list(FundCommitment.objects.select_for_update().select_related("quota").filter(ref=ref)
                       .order_by("pk"))
    if not commitments:
        raise invalid("REF_NOT_COMMITTED", ref=ref)
    paid = sum(c.paid_fen for c in commitments)
    done = recovered_on(ref)
    if amount_fen > paid - done:
        raise invalid("REF_RECOVERY_EXCEEDS_PAID", ref=ref, paid=str(Money(paid)), recovered=str(Money(done)),
                      amount=str(Money(amount_fen)))
    remaining, before = amount_fen, set(FundMovement.objects.filter(ref=ref, kind=MovementKind.RECOVERY)
                                        .values_list("pk", flat=True))
    for c in commitments:
        take = min(remaining, c.paid_fen - recovered_on(ref, c.quota_id))
        if take > 0:
            give_back(c.quota, "paid_fen", take, ref=ref, actor=actor, kind=MovementKind.RECOVERY)
            remaining -= take
        if not remaining:
            break
    return list(FundMovement.objects.filter(ref=ref, kind=MovementKind.RECOVERY).exclude(pk__in=before))
