"""The draw of an inspection plan (抽查抽样): the population of paid roster items in the plan's scope, the risk
weight of each, and the sample — all reproducible: the same population and seed give the same sample.

- simple random: `random.Random(seed).sample` over the population ordered by item pk;
- risk weighted: weighted sampling without replacement by Efraimidis–Spirakis keys (key = ln(u) / w with u
  drawn from `random.Random(seed)` in pk order; the k largest keys win), so an item of weight 3 is about three
  times as likely to be drawn as one of weight 1, and a fixed seed always draws the same items.

Risk factors (each with a reason shown to the inspector): undecided or confirmed findings on the item, an amount
that jumped against the person's previous item of the policy, first-time recipients. Complaints about the
person's village live in disclosure, above supervision: disclosure adds them through `provide_risk_source`
(disclosure.inspection_risk), counting what was filed up to the draw (`as_of`). No bank feedback reports
long-unwithdrawn balances yet, so that factor is not computed."""
from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

PAID_STATES = ("approved", "paying", "paid", "partly_failed", "closed")
OPEN_FINDINGS = ("open", "clear_pending", "confirmed", "transferred")
W_FINDING, W_JUMP, W_FIRST = 3.0, 2.0, 1.0
JUMP_RATIO = 1.5  # an amount above 1.5 × the previous one is a jump
_CHUNK = 500

_sources: list[Callable[..., dict[int, list[tuple[float, str]]]]] = []


def provide_risk_source(fn) -> None:
    """An upper app adds (weight, reason) per item id: fn(units, as_of) -> {item_id: [(weight, reason)]}, e.g.
    disclosure: complaints about the item's village filed up to `as_of`."""
    if fn not in _sources:
        _sources.append(fn)


@dataclass
class Unit:
    item_id: int
    id_bidx: str
    policy_id: int
    period: str
    amount_fen: int
    village_id: str | None
    weight: float = 1.0
    reasons: list[str] = field(default_factory=list)


def population(plan) -> list[Unit]:
    """The active items of batches in the plan's region, periods (and policy), approved or paid; by pk."""
    from yikatong.rosters.models import BatchItem

    qs = BatchItem.objects.filter(batch__region__code__startswith=plan.region.prefix, batch__period__in=plan.periods,
                                  batch__state__in=PAID_STATES, status="active")
    if plan.policy_id:
        qs = qs.filter(batch__policy_id=plan.policy_id)
    rows = qs.order_by("pk").values_list("pk", "id_bidx", "batch__policy_id", "batch__period", "amount_fen",
                                         "village_id")
    return [Unit(*r) for r in rows]


def _chunks(values: list, n: int = _CHUNK):
    for i in range(0, len(values), n):
        yield values[i:i + n]


def weigh(units: list[Unit], *, as_of=None) -> list[Unit]:
    """Set each unit's risk weight and reasons (1 and none when nothing is known against it); the hooks
    count what happened up to `as_of` (the draw's time; None: now)."""
    from yikatong.checks.models import Finding
    from yikatong.rosters.models import BatchItem

    by_id = {u.item_id: u for u in units}
    hits: dict[int, int] = {}
    for chunk in _chunks(list(by_id)):
        for item_id in Finding.objects.filter(item_id__in=chunk, state__in=OPEN_FINDINGS).values_list("item_id", flat=True):
            hits[item_id] = hits.get(item_id, 0) + 1
    earlier: dict[str, list[tuple[str, int, int]]] = {}
    for chunk in _chunks(sorted({u.id_bidx for u in units})):
        for bidx, period, policy, amount in BatchItem.objects.filter(id_bidx__in=chunk, status="active").values_list(
                "id_bidx", "batch__period", "batch__policy_id", "amount_fen"):
            earlier.setdefault(bidx, []).append((period, policy, amount))
    for u in units:
        if hits.get(u.item_id):
            u.weight += W_FINDING * min(hits[u.item_id], 2)
            u.reasons.append(f"有未排除的疑点 {hits[u.item_id]} 条")
        before = sorted((p, a) for p, pol, a in earlier.get(u.id_bidx, []) if p < u.period)
        if not before:
            u.weight += W_FIRST
            u.reasons.append("首次领取")
        else:
            same = [a for p, pol, a in sorted(earlier[u.id_bidx]) if p < u.period and pol == u.policy_id]
            if same and same[-1] > 0 and u.amount_fen > same[-1] * JUMP_RATIO:
                u.weight += W_JUMP
                u.reasons.append(f"金额较上期增长 {round((u.amount_fen / same[-1] - 1) * 100)}%")
    for source in _sources:
        for item_id, extra in source(units, as_of).items():
            if item_id in by_id:
                for w, reason in extra:
                    by_id[item_id].weight += w
                    by_id[item_id].reasons.append(reason)
    return units


def digest(units: list[Unit]) -> str:
    """What the draw was made from: item ids and weights, in order."""
    text = "\n".join(f"{u.item_id}:{u.weight:.6f}" for u in units)
    return hashlib.sha256(text.encode()).hexdigest()


def draw(units: list[Unit], *, size: int, seed: int, weighted: bool) -> list[Unit]:
    """The sample in draw order (at most `size`, at most the population); deterministic in (units, seed)."""
    units = sorted(units, key=lambda u: u.item_id)
    k = min(size, len(units))
    rng = random.Random(seed)
    if not weighted:
        return rng.sample(units, k)
    keys = []
    for u in units:
        r = 1.0 - rng.random()  # in (0, 1]: ln is defined
        keys.append((math.log(r) / max(u.weight, 1e-9), -u.item_id, u))
    keys.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [u for _, _, u in keys[:k]]
