"""A reissue batch (补发) holds only failed lines of its origin batch, corrected (DESIGN §6.9, issue 12
point 5). `reissue_create` builds it so; the guard `reissue_matches_origin` re-verifies it, on the
data as it is at the moment, at every money-moving step of the reissue (rosters/flows.py): each
active item is carried over from a failed, repayable line of an answered order of the parent
batch (payments.models.Reissue), for the same person, for no more than that line's amount.
Nothing written around the services (a hand-added item, a raised amount) gets past it.
"""
from __future__ import annotations

from yikatong.core.money import Money
from yikatong.core.refusals import Problem
from yikatong.rosters.guards import register

from . import errors  # noqa: F401  (the catalogue: registers the REISSUE_* codes)

_SHOWN = 5
_LINK = "reissue_of__source__"


def _describe(rows, extra) -> str:
    shown = "；".join(f"第{r['seq']}条{r['name']}" + (extra(r) if extra else "") for r in rows[:_SHOWN])
    return shown + (f" 等 {len(rows)} 条" if len(rows) > _SHOWN else "")


def _above(r) -> str:
    return (f"（{Money.from_fen(r['amount_fen'])}，原明细 {r[_LINK + 'item_ref']} "
            f"{Money.from_fen(r[_LINK + 'amount_fen'])}）")


def verify_reissue(batch) -> Problem | None:
    """None when every active item of reissue `batch` is a corrected failed line of its parent."""
    from yikatong.rosters.models import Batch

    from .models import ItemStatus, OrderState

    parent = Batch.objects.filter(pk=batch.parent_id).values("code", "policy_id", "period").first()
    rows = list(batch.items.filter(status="active").order_by("seq").values(
        "seq", "name", "id_bidx", "is_org", "amount_fen", "reissue_of__id", _LINK + "item_ref", _LINK + "amount_fen",
        _LINK + "status", _LINK + "do_not_repay", _LINK + "written_off_reason", _LINK + "order__batch_id",
        _LINK + "order__state", _LINK + "batch_item__id_bidx", _LINK + "batch_item__is_org"))
    if parent is None or (parent["policy_id"], parent["period"]) != (batch.policy_id, batch.period):
        foreign = rows
    else:
        foreign = [r for r in rows if r["reissue_of__id"] is None or r[_LINK + "order__batch_id"] != batch.parent_id
                   or r[_LINK + "status"] != ItemStatus.FAILED or r[_LINK + "order__state"] != OrderState.ANSWERED]
    names = {"batch": batch.code, "parent": parent["code"] if parent else "（无）"}
    if foreign:
        return Problem("REISSUE_NOT_FROM_ORIGIN", count=len(foreign), items=_describe(foreign, None), **names)
    settled = [r for r in rows if r[_LINK + "do_not_repay"] or r[_LINK + "written_off_reason"]]
    if settled:
        return Problem("REISSUE_ORIGIN_NOT_REPAYABLE", count=len(settled), items=_describe(settled, None), **names)
    changed = [r for r in rows if (r["id_bidx"], r["is_org"]) != (r[_LINK + "batch_item__id_bidx"],
                                                                   r[_LINK + "batch_item__is_org"])]
    if changed:
        return Problem("REISSUE_PERSON_CHANGED", count=len(changed), items=_describe(changed, None), **names)
    above = [r for r in rows if r["amount_fen"] > r[_LINK + "amount_fen"]]
    if above:
        return Problem("REISSUE_AMOUNT_ABOVE_ORIGIN", count=len(above), items=_describe(above, _above), **names)
    return None


@register("reissue_matches_origin")
def reissue_matches_origin(*, batch, **_):
    """Holds for every normal batch; for a reissue batch, see verify_reissue."""
    if batch.kind != "reissue":
        return None
    return verify_reissue(batch)
