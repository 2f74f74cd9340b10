"""The self-query as one action: validate the ID number, pass the guards, read (query.lookup) and audit.
Where the profile asks for an SMS code (LocalProfile.self_query_sms_code), the first step answers CodeSent
(query_codes: the same for everyone) and self_query_confirm reads once the code is right.

The audit event holds the blind index of the ID number (a keyed hash, core.crypto) and the outcome — never
the ID number or the name. Unknown ID and wrong name are one outcome ("miss") with the same answer.
"""
from __future__ import annotations

from django.db import transaction

from yikatong.audit.services import record
from yikatong.core.crypto import vault
from yikatong.core.identifiers import IdentifierError, parse_id_number
from yikatong.core.profiles import current_profile

from . import query_codes
from . import query_guard as guard
from .errors import DisclosureError
from .query import Answer, lookup
from .query_codes import CodeSent


def _audit(client: str, outcome: str, bidx: str = "", *, payments: int = 0, applications: int = 0) -> None:
    with transaction.atomic():
        record(actor=None, action="disclosure.self_query", object_type="self_query", object_id=bidx or "-",
               object_repr="本人发放查询", after={"outcome": outcome, "payments": payments,
                                                  "applications": applications})


def self_query(*, client: str, id_number: str, name: str, challenge_token: str = "",
               challenge_answer: str = "") -> Answer | CodeSent:
    """One person's own answer, or CodeSent where the profile asks for an SMS code. Refusals (DisclosureError):
    SELF_QUERY_RATE_LIMITED, SELF_QUERY_ID_RATE_LIMITED, SELF_QUERY_SMS_RATE_LIMITED (HTTP 429),
    SELF_QUERY_CHALLENGE (a challenge is due or was answered wrong), SELF_QUERY_INVALID_ID."""
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
    if current_profile().self_query_sms_code:
        with transaction.atomic():
            sent, matched = query_codes.issue(number=number, bidx=bidx, name=(name or "").strip())
            _audit(client, "code_sent" if matched else "code_no_match", bidx)
        # no note_miss for a no-match here: a challenge coming sooner would tell which ID numbers exist;
        # wrong codes count as misses instead (self_query_confirm)
        return sent
    return _answer(client, number, name, bidx)


def self_query_confirm(*, client: str, token: str, code: str) -> Answer:
    """The answer of a self-query whose SMS code is `code`. Refusals: SELF_QUERY_RATE_LIMITED (429),
    SELF_QUERY_CODE_WRONG, SELF_QUERY_CODE_ATTEMPTS, SELF_QUERY_CODE_EXPIRED (query_codes.check)."""
    guard.throttle_client(client)
    try:
        number, name, bidx = query_codes.check(token, code)
    except DisclosureError as exc:
        guard.note_miss(client)
        _audit(client, exc.code.removeprefix("SELF_QUERY_").lower())
        raise
    return _answer(client, number, name, bidx)


def _answer(client: str, number: str, name: str, bidx: str) -> Answer:
    answer = lookup(number, name)
    if not answer.found:
        guard.note_miss(client)
    _audit(client, "hit" if answer.found else "miss", bidx, payments=len(answer.payments),
           applications=len(answer.applications))
    return answer
