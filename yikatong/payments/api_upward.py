"""JSON API of the upward exchange (payments.upward; the page, payments/views_upward.py): the exports of the
caller's counties, a new version of a county's month, and one file of an export (finance only; the file
carries full ID numbers and its download is audited). Refusals: payments.errors UPWARD_*."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from yikatong.core.downloads import export_response
from yikatong.core.refusals import Forbidden

from . import upward
from . import upward_selectors as sel
from .api import _iso, router
from .views_upward import CONTENT_TYPES


class UpwardOut(Schema):
    id: int
    county_code: str
    county: str
    period: str
    version: int
    row_count: int
    total_fen: int
    paid_count: int
    paid_fen: int
    failed_count: int
    failed_fen: int
    returned_count: int
    returned_fen: int
    csv_sha256: str
    csv_size: int
    json_sha256: str
    json_size: int
    made_by: str | None  # None: the monthly job
    made_at: str


class UpwardIn(Schema):
    county: str  # 6- or 12-digit county code
    period: str  # YYYY-MM


def _out(e) -> dict:
    return {"id": e.pk, "county_code": e.county_id[:6], "county": e.county.name, "period": e.period,
            "version": e.version, "row_count": e.row_count, "total_fen": e.total_fen, "paid_count": e.paid_count,
            "paid_fen": e.paid_fen, "failed_count": e.failed_count, "failed_fen": e.failed_fen,
            "returned_count": e.returned_count, "returned_fen": e.returned_fen, "csv_sha256": e.csv_sha256,
            "csv_size": e.csv_size, "json_sha256": e.json_sha256, "json_size": e.json_size,
            "made_by": e.made_by.username if e.made_by else None, "made_at": _iso(e.made_at)}


def _makers_only(request) -> None:
    if not request.user.has_role(*sel.MAKERS):
        raise Forbidden("UPWARD_ROLE_NOT_ALLOWED")


@router.get("/upward", response=list[UpwardOut], url_name="payments_api_upward_list",
            summary="上报数据文件（本辖区各县、各月、各版本；财政业务科室）")
def upward_list(request, county: str = "", period: str = ""):
    _makers_only(request)
    qs = sel.exports_for(request.user)
    if county:
        qs = qs.filter(county__code__startswith=county)
    if period:
        qs = qs.filter(period=period)
    return [_out(e) for e in qs[:500]]


@router.post("/upward", response={201: UpwardOut}, url_name="payments_api_upward_create",
             summary="生成某县某月的上报数据文件（新版本，旧版本保留；财政业务科室，限本辖区）")
def upward_create(request, payload: UpwardIn):
    e = upward.upward_export(actor=request.user, county_code=payload.county.strip(), period=payload.period.strip())
    return Status(201, _out(e))


@router.get("/upward/{export_id}/{fmt}", url_name="payments_api_upward_file",
            summary="下载上报数据文件（fmt：csv 或 json；含完整身份证号码，记入审计）")
def upward_file(request, export_id: int, fmt: str):
    get_object_or_404(sel.exports_for(request.user), pk=export_id)
    export, data = upward.upward_download(actor=request.user, export_id=export_id, fmt=fmt)
    resp = export_response(data, filename=export.filename(fmt), content_type=CONTENT_TYPES[fmt])
    resp["X-Content-SHA256"] = export.csv_sha256 if fmt == "csv" else export.json_sha256
    return resp
