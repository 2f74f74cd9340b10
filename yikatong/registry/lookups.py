"""Personal-data lookups asked by a person (search, reference hits; compare in compare.compare_for):
rate limited per user across every web worker (core.ratelimit) and audited with the number of rows
returned — never the query, which may be a full ID number.

Limits (settings): YKT_LOOKUP_RATE searches / reference look-ups per user per window ("30/min");
YKT_COMPARE_ROWS_PER_HOUR rows compared per user per hour.
"""
from __future__ import annotations

from django.conf import settings
from django.db import transaction

from yikatong.core.ratelimit import Rate, setting_rate, throttle
from yikatong.core.refusals import Refusal, register_messages

register_messages({
    "LOOKUP_RATE_LIMITED": "查询过于频繁：每个用户{window}内最多查询{limit}次个人信息，请稍后再试。",
    "COMPARE_ROWS_LIMITED": "比对行数超过限额：每个用户每小时最多比对{limit}行（本小时已比对{used}行，本次{rows}行），请稍后再试或联系系统管理员。",
})


class LookupRateLimited(Refusal):
    """Too many personal-data lookups: HTTP 429 (API) / the page says so."""

    default_code = "LOOKUP_RATE_LIMITED"
    http_status = 429


def lookup_rate() -> Rate:
    return setting_rate("YKT_LOOKUP_RATE", "30/min")


def throttle_lookup(actor) -> None:
    """One personal-data lookup by `actor`; LookupRateLimited past the configured rate."""
    throttle(f"lookup:{actor.pk}", lookup_rate(), LookupRateLimited, "LOOKUP_RATE_LIMITED")


def throttle_compare_rows(actor, rows: int) -> None:
    """`rows` rows compared by `actor` this hour; LookupRateLimited (COMPARE_ROWS_LIMITED) past the cap."""
    cap = int(getattr(settings, "YKT_COMPARE_ROWS_PER_HOUR", 100000))
    throttle(f"compare_rows:{actor.pk}", Rate(cap, 3600), LookupRateLimited, "COMPARE_ROWS_LIMITED", amount=rows,
             rows=rows)


def _audit(actor, action: str, *, rows: int, how: str = "") -> None:
    from yikatong.audit.services import record

    with transaction.atomic():
        record(actor=actor, action=action, object_type="registry", object_id=actor.scope_prefix or "*",
               object_repr="个人信息查询", after={"rows": rows, "how": how})


def search(actor, query: str):
    """selectors.search_persons, rate limited and audited with the number of persons returned."""
    from . import selectors

    throttle_lookup(actor)
    rows, how = selectors.search_persons(actor, query)
    _audit(actor, "registry.search", rows=len(rows), how=how)
    return rows, how


def reference_hits(actor, id_number: str):
    """selectors.reference_hits_for, rate limited and audited with the number of hits returned."""
    from . import selectors

    throttle_lookup(actor)
    hits = selectors.reference_hits_for(actor, id_number)
    _audit(actor, "registry.reference_hits", rows=len(hits))
    return hits
