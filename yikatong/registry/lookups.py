"""Lookups of personal data asked by a person (page, API): the scoped selector, then one audit event
with the kind of query and the number of rows returned — never the identifiers asked about (issue 13).

    search(actor, query) -> (rows, how)        register search (selectors.search_persons)
    hits(actor, id_number) -> list[ReferenceHit]   reference data for one ID number

复核比对 audits itself (compare.compare_for)."""
from __future__ import annotations

from django.db import transaction

from yikatong.accounts.scope import scope_prefix
from yikatong.audit.services import record

from . import selectors


def _audit(actor, action: str, label: str, **after) -> None:
    with transaction.atomic():
        record(actor=actor, action=action, object_type="registry", object_id=scope_prefix(actor) or "*",
               object_repr=label, after=after)


def search(actor, query: str):
    rows, how = selectors.search_persons(actor, query)
    if how:  # an empty query looks nothing up
        _audit(actor, "registry.search", "查询补贴对象", how=how, rows=len(rows))
    return rows, how


def hits(actor, id_number: str):
    found = selectors.reference_hits_for(actor, id_number)
    _audit(actor, "registry.reference_hits", "查询共享比对数据", rows=len(found))
    return found
