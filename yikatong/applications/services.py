"""Writes on applications: submission by the village clerk, the village review (with its 民主评议
record), the township verification, the department's approval and refusals at any level. Every state
change goes through transitions.application_transition (the shared engine); each action is one
transaction and one audit event. An application outside the actor's scope is 404, never named."""
from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core.crypto import vault
from yikatong.core.identifiers import IdentifierError, parse_id_number, validate_account_number, validate_phone
from yikatong.core.masking import mask_card, mask_id_number, mask_phone
from yikatong.core.profiles import current_profile
from yikatong.core.refusals import Forbidden, invalid
from yikatong.policies.choices import Intake

from . import errors, scope, transitions  # noqa: F401  (errors registers the messages)
from .models import Application, DemocraticReview, State


def visible(actor, application_id: int) -> Application:
    """The application if the actor sees it, else 404 (another village's application is not named)."""
    app = scope.applications_for(actor).filter(pk=application_id).first()
    if app is None:
        raise Http404
    return app


def application_submit(*, actor, policy, year: int, village, name: str, id_number: str, account_no: str, bank_name: str = "",
           phone: str = "", amount_fen: int | None = None) -> Application:
    """A village clerk records an application of a person of their village for an application-based policy."""
    from yikatong.rosters.services import reviewing_department

    if actor is None or not actor.is_authenticated or not actor.has_role(Role.VILLAGE_CLERK):
        raise Forbidden("ROLE_NOT_ALLOWED", what="受理补贴申请")
    if village is None or village.level != 5 or not region_in_scope(actor, village.code):
        raise invalid("APPLICATION_VILLAGE_INVALID")
    if policy.intake != Intake.APPLICATION:
        raise invalid("APPLICATION_POLICY_NOT_APPLICATION", policy=policy.name)
    name = (name or "").strip()
    if not name:
        raise invalid("APPLICATION_NAME_REQUIRED")
    try:
        id_number = parse_id_number(id_number).number
    except IdentifierError as exc:
        raise invalid("APPLICATION_ID_INVALID", detail=str(exc)) from None
    try:
        account_no = validate_account_number(account_no or "", card=True)
    except IdentifierError as exc:
        raise invalid("APPLICATION_ACCOUNT_INVALID", detail=str(exc)) from None
    phone = (phone or "").strip()
    if phone:
        try:
            phone = validate_phone(phone)
        except IdentifierError as exc:
            raise invalid("APPLICATION_PHONE_INVALID", detail=str(exc)) from None
    standard = amount_fen is None
    if standard:
        amount_fen = policy.rate_fen
        if amount_fen is None:
            raise invalid("APPLICATION_AMOUNT_REQUIRED", policy=policy.name)
    if amount_fen <= 0:
        raise invalid("APPLICATION_AMOUNT_INVALID")
    v = vault()
    id_bidx = v.id_index(id_number)
    duplicate = invalid("APPLICATION_DUPLICATE", name=name, policy=policy.name)
    if Application.objects.filter(id_bidx=id_bidx, policy_code=policy.code, year=year, state__in=_open()).exists():
        raise duplicate
    township = village.parent
    try:
        with transaction.atomic():
            app = Application.objects.create(
                policy=policy, policy_code=policy.code, year=year, village=village,
                department=reviewing_department(policy, township), profile_code=current_profile().code, name=name,
                id_enc=v.encrypt(id_number), id_bidx=id_bidx, id_masked=mask_id_number(id_number),
                phone_enc=v.encrypt(phone) if phone else "", phone_masked=mask_phone(phone) if phone else "",
                bank_name=(bank_name or "").strip()[:60], account_enc=v.encrypt(account_no),
                account_masked=mask_card(account_no), amount_fen=amount_fen, amount_is_standard=standard,
                state=State.SUBMITTED, state_since=timezone.now(), created_by=actor,
            )
            app.events.create(action="submit", label="受理申请", to_state=State.SUBMITTED, actor=actor)
            record(actor=actor, action="applications.submit", obj=app, object_repr=f"申请 {app.pk}",
                   after={"policy": policy.code, "year": year, "village": village.code, "id_number": app.id_masked,
                          "amount_fen": amount_fen})
    except IntegrityError:  # a concurrent submission of the same person won the unique constraint
        raise duplicate from None
    return app


def _open():
    from .models import OPEN_STATES

    return OPEN_STATES


def _review_values(review: dict) -> dict:
    held_on = review["held_on"]
    if isinstance(held_on, str):
        held_on = datetime.date.fromisoformat(held_on)
    if held_on > timezone.localdate():
        raise invalid("APPLICATION_REVIEW_DATE_FUTURE", held_on=f"{held_on:%Y-%m-%d}")
    attendees, votes_for, votes_against = (int(review[k]) for k in ("attendees", "votes_for", "votes_against"))
    if min(attendees, votes_for, votes_against) < 0 or votes_for + votes_against > attendees:
        raise invalid("APPLICATION_REVIEW_VOTES_INVALID", votes=votes_for + votes_against, attendees=attendees)
    return {"held_on": held_on, "attendees": attendees, "votes_for": votes_for, "votes_against": votes_against,
            "minutes": (review.get("minutes") or "").strip()}


@transaction.atomic
def application_village_review(*, actor, application_id: int, review: dict | None = None) -> Application:
    """The village passes the application; with `review` (held_on, attendees, votes_for, votes_against,
    minutes) its 民主评议 is recorded in the same step (required where the policy says so: a guard)."""
    app = visible(actor, application_id)
    audit = None
    if review:
        values = _review_values(review)
        DemocraticReview.objects.update_or_create(application=app, defaults={**values, "recorded_by": actor})
        audit = {"review": {k: v for k, v in values.items() if k != "minutes"} | {"held_on": str(values["held_on"])}}
    return transitions.application_transition(actor=actor, application_id=app.pk, action="village_review",
                                              audit_after=audit)


def application_township_verify(*, actor, application_id: int) -> Application:
    app = visible(actor, application_id)
    return transitions.application_transition(actor=actor, application_id=app.pk, action="township_verify")


def application_approve(*, actor, application_id: int) -> Application:
    app = visible(actor, application_id)
    return transitions.application_transition(actor=actor, application_id=app.pk, action="approve")


def application_refuse(*, actor, application_id: int, reason: str) -> Application:
    """Refused at the level that holds it (village, township or department), always with a reason, which
    the applicant reads through the public self-query (selectors.public_status)."""
    app = visible(actor, application_id)
    return transitions.application_transition(actor=actor, application_id=app.pk, action="refuse", reason=reason)


def application_perform(*, actor, application_id: int, action: str, reason: str = "") -> Application:
    """The page's and the API's one entry for the actions without a form of their own."""
    if action == "township_verify":
        return application_township_verify(actor=actor, application_id=application_id)
    if action == "approve":
        return application_approve(actor=actor, application_id=application_id)
    if action == "refuse":
        return application_refuse(actor=actor, application_id=application_id, reason=reason)
    if action == "village_review":
        return application_village_review(actor=actor, application_id=application_id)
    raise Http404
