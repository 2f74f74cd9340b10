"""The self-query as one action: validate the ID number, pass the guards, read (query.lookup) and audit.

The audit event holds the blind index of the ID number (a keyed hash, core.crypto) and the outcome — never
the ID number or the name. Unknown ID and wrong name are one outcome ("miss") with the same answer.
"""
from __future__ import annotations

from django.db import transaction

from yikatong.audit.services import record
from yikatong.core.crypto import vault
from yikatong.core.identifiers import IdentifierError, parse_id_number

from . import query_guard as guard
from .errors import DisclosureError
from .query import Answer, lookup


def _audit(client: str, outcome: str, bidx: str = "", *, payments: int = 0, applications: int = 0) -> None:
    with transaction.atomic():
        record(actor=None, action="disclosure.self_query", object_type="self_query", object_id=bidx or "-",
               object_repr="本人发放查询", after={"outcome": outcome, "payments": payments,
                                                  "applications": applications})


def self_query(*, client: str, id_number: str, name: str, challenge_token: str = "",
               challenge_answer: str = "") -> Answer:
    """One person's own answer. Refusals (DisclosureError): SELF_QUERY_RATE_LIMITED, SELF_QUERY_ID_RATE_LIMITED
    (HTTP 429), SELF_QUERY_CHALLENGE (a challenge is due or was answered wrong), SELF_QUERY_INVALID_ID."""
    guard.throttle_client(client)
    if guard.challenge_needed(client) and not guard.challenge_passed(challenge_token, challenge_answer):
        _audit(client, "challenge")
        raise DisclosureError("SELF_QUERY_CHALLENGE")
    try:
        number = parse_id_number(id_number).number
    except IdentifierError:
        guard.note_miss(client)
        _audit(client, "invalid")
        raise DisclosureError("SELF_QUERY_INVALID_ID") from None
    bidx = vault().id_index(number)
    guard.throttle_person(bidx)
    answer = lookup(number, name)
    if not answer.found:
        guard.note_miss(client)
    _audit(client, "hit" if answer.found else "miss", bidx, payments=len(answer.payments),
           applications=len(answer.applications))
    return answer
