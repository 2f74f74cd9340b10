"""Reads on batches, scoped through rosters.scope (region subtree AND owning department, or the
actor's station / township; DESIGN §6.7)."""
import re

from django.db.models import Q, QuerySet

from yikatong.accounts.roles import Role

from . import flows, scope
from .models import Batch

DEPT_ROLES = (Role.DEPT_REVIEWER, Role.DEPT_HEAD)


def batches_for(actor) -> QuerySet[Batch]:
    """The batches the actor sees (rosters.scope.batches_for: one answer for every selector)."""
    return scope.batches_for(actor)


def filtered(actor, *, policy: str = "", period: str = "", region: str = "", state: str = "") -> QuerySet[Batch]:
    qs = batches_for(actor)
    if policy:
        qs = qs.filter(Q(policy__code=policy) | Q(policy__name__contains=policy))
    if period:
        qs = qs.filter(period=period)
    if region:
        qs = qs.filter(region__code__startswith=region)
    if state:
        qs = qs.filter(state=state)
    return qs


def waiting_on(actor) -> QuerySet[Batch]:
    """Batches in a state whose holders include one of the actor's roles."""
    states = [code for code, st in flows.STATES.items() if st.holders & actor.role_set]
    return batches_for(actor).filter(state__in=states)


_LONG_NUMBER = re.compile(r"\d{10,}[\dXx]?")  # phones, ID numbers, cards


def import_problems_for(actor, run) -> list[dict]:
    """An import's problems as `actor` may see them. The operator who uploaded the file sees what they
    typed (they hold the file and must find the cell); everyone else who sees the batch sees ID numbers,
    accounts and phones masked, in the cell value and in the message (issue 13: full ID numbers were
    shown to every role that could open the import)."""
    from .importer.run import load_problems

    problems = load_problems(run)
    if actor is not None and actor.pk == run.created_by_id:
        return problems
    return masked_problems(problems)


def masked_problems(problems: list[dict]) -> list[dict]:
    """Import problems with ID numbers, accounts and phones masked in the value and in the message."""
    from yikatong.core.masking import mask_card, mask_id_number, mask_phone

    from .importer import spec as S

    maskers = {S.ID: mask_id_number, S.ACCOUNT: mask_card, S.PHONE: mask_phone}
    out = []
    for p in problems:
        p = dict(p)
        masker = maskers.get(p.get("column"))
        if masker and p.get("value"):
            p["value"] = masker(str(p["value"]))
        p["message"] = _LONG_NUMBER.sub(lambda m: m.group(0)[:4] + "*" * max(len(m.group(0)) - 8, 2)
                                        + m.group(0)[-4:], str(p.get("message", "")))
        out.append(p)
    return out


def payable_policy(code: str, *, region, period: str):
    """The policy `code` as it stands on the catalogues published for `region` in the year of `period`
    (the batch API's, the CLI's and the county roster's lookup); else the refusal POLICY_UNKNOWN."""
    from yikatong.core.refusals import invalid
    from yikatong.policies.selectors import current_version
    from yikatong.policies.standard import period_year

    year = period_year(period)
    policy = current_version((code or "").strip(), region_code=region.code, year=year)
    if policy is None:
        raise invalid("POLICY_UNKNOWN", policy=code, year=year)
    return policy
