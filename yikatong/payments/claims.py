"""Payment claims (PaymentClaim): the (policy, period, person) slot each approved item holds.

`claim_payments` is the effect of the `finance_approve` transition (rosters.flows): in the
approval's own transaction it takes the slots of the batch's active items, set-based (one UPDATE
for reissued items taking over their origin's claim, one INSERT … SELECT for the rest). The
UNIQUE (policy, period, id_bidx) constraint is the last word: if another batch holds a slot —
even one approved a moment earlier by a concurrent request — the effect answers
DUPLICATE_PAYMENT naming the masked ID numbers and the other batches, and the approval rolls back.

A reissued item (补发, payments.Reissue) never makes a claim of its own while its origin holds one:
it takes the origin's over, so a chain of reissues keeps one slot."""
from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from yikatong.core.refusals import Problem
from yikatong.rosters.guards import register_effect

from . import errors  # noqa: F401  (the catalogue: registers DUPLICATE_PAYMENT)

SHOWN = 5
# roster item -> the origin it reissues (PaymentOrderItem.origin: the same along a chain of reissues)
LINKS = """(SELECT r.new_item_id AS item_id, l.origin_id
           FROM payments_reissue r JOIN payments_paymentorderitem l ON l.id = r.source_id)"""

_CONFLICTS = f"""
SELECT i.seq, i.id_masked, ob.code
FROM rosters_batchitem i
JOIN rosters_batch b ON b.id = i.batch_id
LEFT JOIN {LINKS} k ON k.item_id = i.id
JOIN payments_paymentclaim c ON c.policy_id = b.policy_id AND c.period = b.period AND c.id_bidx = i.id_bidx
JOIN rosters_batch ob ON ob.id = c.batch_id
WHERE i.batch_id = %s AND i.status = 'active' AND c.origin_id <> COALESCE(k.origin_id, i.id)
UNION ALL
SELECT i.seq, i.id_masked, b.code
FROM rosters_batchitem i
JOIN rosters_batch b ON b.id = i.batch_id
WHERE i.batch_id = %s AND i.status = 'active'
  AND EXISTS (SELECT 1 FROM rosters_batchitem j
              WHERE j.batch_id = i.batch_id AND j.status = 'active' AND j.id_bidx = i.id_bidx AND j.id < i.id)
ORDER BY 1"""

_TAKE_OVER = f"""
UPDATE payments_paymentclaim
SET item_id = (SELECT k.item_id FROM {LINKS} k JOIN rosters_batchitem n ON n.id = k.item_id
               WHERE k.origin_id = payments_paymentclaim.origin_id AND n.batch_id = %s AND n.status = 'active'),
    batch_id = %s
WHERE origin_id IN (SELECT k.origin_id FROM {LINKS} k JOIN rosters_batchitem n ON n.id = k.item_id
                    WHERE n.batch_id = %s AND n.status = 'active')"""

_INSERT = f"""
INSERT INTO payments_paymentclaim (policy_id, period, id_bidx, origin_id, item_id, batch_id, claimed_at)
SELECT b.policy_id, b.period, i.id_bidx, COALESCE(k.origin_id, i.id), i.id, i.batch_id, %s
FROM rosters_batchitem i
JOIN rosters_batch b ON b.id = i.batch_id
LEFT JOIN {LINKS} k ON k.item_id = i.id
WHERE i.batch_id = %s AND i.status = 'active'
  AND NOT EXISTS (SELECT 1 FROM payments_paymentclaim c WHERE c.origin_id = COALESCE(k.origin_id, i.id))"""


def conflicts(batch_id: int) -> list[tuple[int, str, str]]:
    """(seq, masked ID, code of the batch holding the slot) of the batch's active items whose
    (policy, period, person) slot another item holds, or that repeat a person of the same batch."""
    with connection.cursor() as cur:
        cur.execute(_CONFLICTS, [batch_id, batch_id])
        return [tuple(r) for r in cur.fetchall()]


def duplicate_problem(batch, found: list[tuple[int, str, str]]) -> Problem:
    items = "、".join(f"第{seq}条 {masked}（批次 {other}）" for seq, masked, other in found[:SHOWN])
    if len(found) > SHOWN:
        items += f" 等 {len(found)} 条"
    return Problem("DUPLICATE_PAYMENT", count=len(found), period=batch.period, policy=batch.policy.name, items=items)


def claim(batch_id: int) -> int:
    """Take the slots of the batch's active items (reissued ones take over their origin's);
    raises IntegrityError if a slot is held. Idempotent. Returns the number of rows written."""
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cur:
        cur.execute(_TAKE_OVER, [batch_id, batch_id, batch_id])
        moved = cur.rowcount
        cur.execute(_INSERT, [at, batch_id])
        return moved + cur.rowcount


@register_effect("claim_payments")
def claim_payments(*, batch, **_):
    """Effect of finance approval: refuse (DUPLICATE_PAYMENT) or hold the batch's slots."""
    found = conflicts(batch.pk)
    if not found:
        try:
            with transaction.atomic():  # a savepoint: PostgreSQL's transaction survives the refused INSERT
                claim(batch.pk)
            return None
        except IntegrityError:  # a concurrent approval took a slot between the check and the insert
            found = conflicts(batch.pk)
    return duplicate_problem(batch, found or [(0, "—", "—")])
