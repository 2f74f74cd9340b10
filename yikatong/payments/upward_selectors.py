"""Reads of the upward exchange: the payment lines of a county and month as flat rows (one query, read
in chunks with .iterator(): never the month held in memory), the counties due an export, and the
exports a finance user may download (payments.upward writes them)."""
from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import in_scope, scope_prefix
from yikatong.core.crypto import vault
from yikatong.regions.models import Region

from .models import FundReturn, ItemStatus, PaymentOrderItem, Reissue, UpwardExport
from .reconcile import period_bounds

#: who makes and downloads upward exports: finance of the county (or above), in their region only
MAKERS = frozenset({Role.FINANCE_REVIEWER})
CHUNK = 2000

_VALUES = (
    "order__batch__region_id", "order__batch__region__level", "batch_item__village_id",
    "order__batch__policy__code", "order__batch__policy__name",
    "order__batch__policy__share_central_bp", "order__batch__policy__share_province_bp",
    "order__batch__policy__share_prefecture_bp", "order__batch__policy__share_county_bp",
    "order__batch__period", "order__batch__code", "order__batch_no", "item_ref",
    "batch_item__name", "batch_item__is_org", "batch_item__id_enc", "batch_item__bank_name",
    "batch_item__account_masked", "amount_fen", "status", "reason_code", "order__business_date", "paid_at",
    "bank_txn_id", "returned",
)


def month_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    year, month = period.split("-")
    return period_bounds(int(year), int(month))


def lines(county: Region, period: str) -> QuerySet:
    """Answered lines (paid or failed) of orders whose business date falls in `period`, under batches of
    `county`; `returned`: failed, not reissued, and the order's failed funds came back (payments.returns)."""
    start, end = month_bounds(period)
    returned = Exists(FundReturn.objects.filter(order_id=OuterRef("order_id"))) & ~Exists(
        Reissue.objects.filter(source_id=OuterRef("pk")))
    return (PaymentOrderItem.objects
            .filter(status__in=[ItemStatus.PAID, ItemStatus.FAILED], order__business_date__gte=start,
                    order__business_date__lte=end, order__batch__region__code__startswith=county.prefix)
            .annotate(returned=returned).order_by("order_id", "seq"))


def _fund_docs(batch_code: str, cache: dict) -> str:
    if batch_code not in cache:
        from yikatong.funds.models import FundCommitment

        docs = (FundCommitment.objects.filter(ref=f"batch:{batch_code}").order_by("pk")
                .values_list("quota__doc_number", flat=True))
        cache[batch_code] = "；".join(dict.fromkeys(docs))
    return cache[batch_code]


def _date(value, tz) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(tz).date()
    return value.isoformat()


def rows(county: Region, period: str):
    """The detail rows of docs/exchange/upward.md, one per line, decrypted one at a time."""
    v, docs, tz = vault(), {}, timezone.get_current_timezone()
    for r in lines(county, period).values_list(*_VALUES).iterator(chunk_size=CHUNK):
        d = dict(zip(_VALUES, r))
        township = d["order__batch__region_id"] if d["order__batch__region__level"] == 4 else ""
        status = d["status"]
        if status == ItemStatus.FAILED and d["returned"]:
            status = "returned"
        yield {
            "county_code": county.code[:6], "township_code": township, "village_code": d["batch_item__village_id"] or "",
            "policy_code": d["order__batch__policy__code"], "policy_name": d["order__batch__policy__name"],
            "fund_central_bp": d["order__batch__policy__share_central_bp"],
            "fund_province_bp": d["order__batch__policy__share_province_bp"],
            "fund_prefecture_bp": d["order__batch__policy__share_prefecture_bp"],
            "fund_county_bp": d["order__batch__policy__share_county_bp"],
            "fund_docs": _fund_docs(d["order__batch__code"], docs),
            "batch_period": d["order__batch__period"], "batch_code": d["order__batch__code"],
            "bank_batch_no": d["order__batch_no"], "item_ref": d["item_ref"],
            "payee_name": d["batch_item__name"], "payee_kind": "org" if d["batch_item__is_org"] else "person",
            "payee_id": v.decrypt(d["batch_item__id_enc"]), "bank_name": d["batch_item__bank_name"],
            "account_masked": d["batch_item__account_masked"], "amount_fen": d["amount_fen"], "status": status,
            "reason_code": d["reason_code"], "business_date": _date(d["order__business_date"], tz),
            "paid_date": _date(d["paid_at"], tz), "bank_txn_id": d["bank_txn_id"],
        }


def exports_for(actor) -> QuerySet[UpwardExport]:
    """Exports of counties in the actor's region, for finance only (the files carry full ID numbers)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*MAKERS):
        return UpwardExport.objects.none()
    return in_scope(UpwardExport.objects.select_related("county", "made_by"), actor, "county")


def counties_for(actor) -> QuerySet[Region]:
    """The counties the actor may export (the page's choice)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*MAKERS):
        return Region.objects.none()
    prefix = scope_prefix(actor)
    if prefix is None:
        return Region.objects.none()
    return Region.objects.filter(level=3, code__startswith=prefix)


def counties_due(period: str) -> list[Region]:
    """Counties with answered lines in `period` and no export of it yet (the scheduled job's work)."""
    start, end = month_bounds(period)
    done = set(UpwardExport.objects.filter(period=period).values_list("county_id", flat=True))
    codes = {c[:6] for c in PaymentOrderItem.objects.filter(
        status__in=[ItemStatus.PAID, ItemStatus.FAILED], order__business_date__gte=start,
        order__business_date__lte=end).values_list("order__batch__region_id", flat=True).distinct()}
    counties = Region.objects.filter(code__in=[Region.full_code(c) for c in codes], level=3)
    return [c for c in counties.order_by("code") if c.code not in done]
