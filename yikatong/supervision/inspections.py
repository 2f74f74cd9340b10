"""Writes of inspection plans (抽查计划): create, draw the sample, start, close — and `redraw`, the check that
anyone can make: recompute the draw from the recorded seed and size and compare it with the stored sample.

Inspectors are supervisors and finance reviewers (seed 003: 区(县)财政部门…电话抽查、实地入户走访; seeds 001/002:
主管部门会同财政部门…事中随机抽查), each in their region (accounts.scope). The plan's state moves only through
MACHINE (core.statemachine): draft → drawn → in_progress → done. One transaction, one audit event each."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core.masking import mask_name
from yikatong.core.refusals import Forbidden, Problem, invalid
from yikatong.core.statemachine import Machine, Transition, apply

from . import sampling
from .errors import InspectionRefused
from .models_inspections import InspectionPlan, InspectionSample, Method, PlanState, Sampling

INSPECTORS = frozenset({Role.SUPERVISOR, Role.FINANCE_REVIEWER})
_ROLES = frozenset(str(r) for r in INSPECTORS)
MAX_SIZE = 500
MAX_SEED = 2**63 - 1
_PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|Q([1-4]))?$")

P = PlanState
TRANSITIONS = (
    Transition(P.DRAFT, "draw", P.DRAWN, _ROLES, "抽取样本", event="supervision.inspection_draw"),
    Transition(P.DRAWN, "start", P.IN_PROGRESS, _ROLES, "开始核查", event="supervision.inspection_start"),
    Transition(P.IN_PROGRESS, "close", P.DONE, _ROLES, "完成抽查", guards=("all_recorded",),
               event="supervision.inspection_close"),
)


def _authorize(*, actor, obj: InspectionPlan, tr: Transition | None) -> Problem | None:
    if actor is None:  # the quarterly schedule (inspection_schedule); every public service refuses None first
        return None
    if not actor.has_role(*INSPECTORS):
        return Problem("INSPECTION_ROLE")
    if not region_in_scope(actor, obj.region_id):
        return Problem("INSPECTION_NOT_IN_SCOPE", what=f"抽查计划 {obj.plan_no}")
    return None


def _guard(*, name: str, obj: InspectionPlan, actor) -> Problem | None:
    if name == "all_recorded":
        missing = obj.samples.filter(result__isnull=True).count()
        if missing:
            return Problem("INSPECTION_RESULTS_MISSING", plan=obj.plan_no, missing=missing)
    return None


MACHINE = Machine(
    name="inspection_plan", model=InspectionPlan, table=lambda plan: list(TRANSITIONS), refusal=InspectionRefused,
    audit=record, audit_prefix="supervision.inspection", describe=lambda p: f"抽查计划 {p.plan_no}",
    state_label=lambda s: PlanState(s).label, authorize=_authorize, guard=_guard,
)


def require_inspector(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*INSPECTORS):
        raise Forbidden("INSPECTION_ROLE")


def periods_of(period: str) -> list[str]:
    """The batch periods a plan period covers: a month itself; a quarter its three months and itself; a
    year its months, quarters and itself. INSPECTION_PERIOD_INVALID otherwise."""
    m = _PERIOD.match((period or "").strip())
    if not m:
        raise invalid("INSPECTION_PERIOD_INVALID")
    year, month, quarter = m.groups()
    if month:
        return [f"{year}-{month}"]
    if quarter:
        q = int(quarter)
        return [f"{year}-{mm:02d}" for mm in range(3 * q - 2, 3 * q + 1)] + [f"{year}Q{q}"]
    return [f"{year}-{mm:02d}" for mm in range(1, 13)] + [f"{year}Q{q}" for q in range(1, 5)] + [year]


def _checked(*, methods, sampling_kind: str, sample_size) -> tuple[list[str], int]:
    methods = [m for m in Method.values if m in set(methods or [])]
    if not methods or set(methods or []) - set(Method.values):
        raise invalid("INSPECTION_METHOD_INVALID")
    if sampling_kind not in Sampling.values:
        raise invalid("INSPECTION_SAMPLING_INVALID")
    try:
        size = int(sample_size)
    except (TypeError, ValueError):
        size = 0
    if not 1 <= size <= MAX_SIZE:
        raise invalid("INSPECTION_SIZE_INVALID", limit=MAX_SIZE)
    return methods, size


def plan_create(*, actor, region_code: str, period: str, methods, sampling_kind: str, sample_size,
                policy_id: int | None = None, title: str = "", monthly_only: bool = False,
                schedule_key: str | None = None) -> InspectionPlan:
    """A draft plan over `region_code` (in the actor's scope) and `period`; the schedule passes actor None."""
    from yikatong.policies.models import Policy
    from yikatong.regions.models import Region

    if actor is not None or schedule_key is None:
        require_inspector(actor)
        if not region_in_scope(actor, region_code or ""):
            raise Forbidden("INSPECTION_NOT_IN_SCOPE", what=f"区划 {region_code}")
    periods = periods_of(period)
    if monthly_only:
        periods = [p for p in periods if "-" in p]
    methods, size = _checked(methods=methods, sampling_kind=sampling_kind, sample_size=sample_size)
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise invalid("INSPECTION_REGION_UNKNOWN", region=str(region_code)[:12])
    policy = Policy.objects.filter(pk=policy_id).first() if policy_id else None
    if policy_id and policy is None:
        raise invalid("INSPECTION_POLICY_UNKNOWN")
    now = timezone.now()
    title = (title or "").strip()[:100] or f"{region.name}{period.strip()}{'、'.join(Method(m).label for m in methods)}"
    with transaction.atomic():
        plan = InspectionPlan.objects.create(
            plan_no=f"tmp-{secrets.token_hex(8)}", title=title, region=region, policy=policy, period=period.strip(),
            periods=periods, methods=methods, sampling=sampling_kind, sample_size=size, created_by=actor,
            created_at=now, schedule_key=schedule_key)
        plan.plan_no = f"CC-{region.code[:6]}-{now:%Y}-{plan.pk:06d}"
        InspectionPlan.objects.filter(pk=plan.pk).update(plan_no=plan.plan_no)
        record(actor=actor, action="supervision.inspection_create", obj=plan, object_repr=plan.plan_no,
               after={"region": region.code, "period": plan.period, "policy": policy.code if policy else "",
                      "methods": methods, "sampling": sampling_kind, "sample_size": size,
                      "scheduled": schedule_key or ""})
    return plan


def _sample(plan: InspectionPlan, seed: int, as_of=None) -> tuple[list[sampling.Unit], list[sampling.Unit]]:
    units = sampling.population(plan)
    if plan.sampling == Sampling.RISK_WEIGHTED:
        sampling.weigh(units, as_of=as_of)
    return units, sampling.draw(units, size=plan.sample_size, seed=seed,
                                weighted=plan.sampling == Sampling.RISK_WEIGHTED)


def plan_draw(*, actor, plan_id: int, seed: int | None = None) -> InspectionPlan:
    """Draw the sample (draft → drawn) with `seed`, or a fresh random one; both recorded with the population."""
    require_inspector(actor)
    return _draw(actor=actor, plan_id=plan_id, seed=seed)


def _draw(*, actor, plan_id: int, seed: int | None) -> InspectionPlan:
    from yikatong.rosters.models import BatchItem

    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    elif not (isinstance(seed, int) and 0 <= seed <= MAX_SEED):
        raise invalid("INSPECTION_SEED_INVALID", limit=MAX_SEED)
    with transaction.atomic():
        plan = InspectionPlan.objects.select_for_update().get(pk=plan_id)
        problem = _authorize(actor=actor, obj=plan, tr=None)  # who first: another region learns no state
        if problem is not None:
            raise Forbidden(problem.code, problem.message)
        MACHINE.require(plan, "draw")
        now = timezone.now()
        units, drawn = _sample(plan, seed, as_of=now)
        if not drawn:
            raise invalid("INSPECTION_POPULATION_EMPTY", plan=plan.plan_no)
        names = dict(BatchItem.objects.filter(pk__in=[u.item_id for u in drawn]).values_list("pk", "name"))
        masked = dict(BatchItem.objects.filter(pk__in=[u.item_id for u in drawn]).values_list("pk", "id_masked"))
        InspectionSample.objects.bulk_create([
            InspectionSample(plan=plan, item_id=u.item_id, rank=i, weight=u.weight, reasons=u.reasons,
                             person_masked=f"{mask_name(names[u.item_id])} {masked[u.item_id]}"[:60])
            for i, u in enumerate(drawn, start=1)])
        digest = sampling.digest(units)
        apply(MACHINE, actor=actor, pk=plan.pk, action="draw",
              fields={"seed": seed, "population": len(units), "population_digest": digest, "drawn_at": now},
              audit_after={"seed": str(seed), "population": len(units), "sample": len(drawn), "digest": digest})
    plan.refresh_from_db()
    return plan


def plan_start(*, actor, plan_id: int) -> InspectionPlan:
    require_inspector(actor)
    return apply(MACHINE, actor=actor, pk=plan_id, action="start")


def plan_close(*, actor, plan_id: int) -> InspectionPlan:
    """in_progress → done once every sample has a result (INSPECTION_RESULTS_MISSING otherwise)."""
    require_inspector(actor)
    return apply(MACHINE, actor=actor, pk=plan_id, action="close")


@dataclass(frozen=True)
class Redraw:
    seed: int
    population_now: int
    population_same: bool  # the items and weights drawn from are still what they were
    sample_same: bool  # recomputing from the seed gives the stored sample, in the same order
    stored: list[int]
    recomputed: list[int]


def redraw(plan: InspectionPlan) -> Redraw:
    """Recompute the draw of a drawn plan from its recorded seed and size, and compare (reads only)."""
    if plan.seed is None:
        raise invalid("INSPECTION_NOT_DRAWN", plan=plan.plan_no)
    units, drawn = _sample(plan, plan.seed, as_of=plan.drawn_at)
    stored = list(plan.samples.order_by("rank").values_list("item_id", flat=True))
    again = [u.item_id for u in drawn]
    return Redraw(seed=plan.seed, population_now=len(units),
                  population_same=sampling.digest(units) == plan.population_digest, sample_same=stored == again,
                  stored=stored, recomputed=again)
