"""Reads of published lists: the public ones (never a confidential policy's) and the staff's batches in scope."""
from __future__ import annotations

from django.db.models import QuerySet

from yikatong.accounts.scope import in_scope
from yikatong.rosters.models import Batch

from .models import PublishedList

PAGE = 50


def public_lists(region_code: str = "", *, policy: str = "", period: str = "") -> QuerySet:
    qs = (PublishedList.objects.filter(batch__policy__confidential=False, batch__region__code__startswith=region_code)
          .select_related("batch__policy", "batch__region").defer("content").order_by("-published_at", "-pk"))
    if policy:
        qs = qs.filter(batch__policy__code=policy)
    if period:
        qs = qs.filter(batch__period=period)
    return qs


def public_list(public_id: str) -> PublishedList | None:
    return (PublishedList.objects.filter(public_id=public_id, batch__policy__confidential=False)
            .select_related("batch__policy", "batch__region").first())


def versions(pl: PublishedList) -> list[PublishedList]:
    return list(PublishedList.objects.filter(batch_id=pl.batch_id, kind=pl.kind).defer("content").order_by("-version"))


def latest_for_batch(batch) -> PublishedList | None:
    """The latest published (not withdrawn) list of a batch, notices before results; None for a confidential one."""
    if batch.policy.confidential:
        return None
    return (PublishedList.objects.filter(batch=batch, state="published").defer("content")
            .order_by("kind", "-version").first())


def rows(pl: PublishedList, *, village: str = "", name: str = "") -> list[dict]:
    out = pl.content.get("rows", [])
    if village:
        out = [r for r in out if r.get("village") == village]
    if name:
        out = [r for r in out if name in r.get("name", "")]
    return out


def villages(pl: PublishedList) -> list[str]:
    return sorted({r.get("village") for r in pl.content.get("rows", []) if r.get("village")})


def staff_batches(actor) -> QuerySet:
    return in_scope(Batch.objects.select_related("policy", "region").order_by("-created_at", "-pk"), actor)


def staff_lists(batch_ids) -> dict[int, list[PublishedList]]:
    out: dict[int, list[PublishedList]] = {}
    for pl in PublishedList.objects.filter(batch_id__in=list(batch_ids)).defer("content").order_by("kind", "-version"):
        out.setdefault(pl.batch_id, []).append(pl)
    return out
