"""Reads of applications: the scoped list, the to-do queues, and the applicant's public self-query."""
from __future__ import annotations

from django.db.models import QuerySet

from yikatong.core.crypto import vault
from yikatong.core.identifiers import IdentifierError, parse_id_number

from .models import Application, State
from .scope import DEPARTMENT, TOWNSHIP, VILLAGE, applications_for
from .transitions import state_label


def filtered(actor, *, state: str = "", policy: str = "") -> QuerySet[Application]:
    qs = applications_for(actor)
    if state:
        qs = qs.filter(state=state)
    if policy:
        qs = qs.filter(policy_code=policy.strip().upper())
    return qs


def applications_for_roles(actor, roles) -> QuerySet[Application]:
    return applications_for(actor, roles=roles)


# Who holds an application in each state (the to-do lists).
HOLDERS = {State.SUBMITTED: VILLAGE, State.VILLAGE_REVIEWED: frozenset({"township_operator"}),
           State.TOWNSHIP_VERIFIED: DEPARTMENT}


def waiting_on(actor) -> QuerySet[Application]:
    """Applications in a state the actor's roles hold, within the actor's scope for those roles."""
    qs = Application.objects.none()
    for state, roles in HOLDERS.items():
        if actor.role_set & roles:
            qs = qs | applications_for(actor, roles=roles).filter(state=state)
    return qs


def public_status(id_number: str, name: str) -> list[dict]:
    """The applicant's own applications for the public self-query: policy, year, state and, when refused,
    the reason — nothing else personal. Both the ID number and the exact name must match; anything
    else answers an empty list (no hint whether the ID number is known)."""
    try:
        number = parse_id_number(id_number).number
    except IdentifierError:
        return []
    name = (name or "").strip()
    rows = (Application.objects.filter(id_bidx=vault().id_index(number), name=name)
            .select_related("policy").order_by("-year", "-pk"))
    return [{"policy": a.policy.name, "year": a.year, "state": a.state, "state_label": state_label(a.state),
             "submitted_on": a.created_at.date(), "refusal_reason": a.refusal_reason if a.state == State.REFUSED else "",
             "rostered": a.batch_item_id is not None} for a in rows]
