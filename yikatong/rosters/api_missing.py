"""JSON API of 漏发 detection (rosters.missing; the page, rosters/views_missing.py), a router of its own on
/api/rosters/. ID numbers are masked; refusals: MISSING_* (rosters.errors), PERIOD_* (policies)."""
from django.core.paginator import Paginator
from ninja import Router, Schema

from yikatong.core.downloads import export_response

from . import missing
from .views_missing import export

router = Router(tags=["发放批次"])
PER_PAGE_MAX = 200


class MissingRowOut(Schema):
    item_id: int  # last period's roster item
    name: str
    id_masked: str
    township_code: str
    township: str
    village_code: str | None
    village: str | None
    household_no: str
    last_amount_fen: int
    last_batch: str
    reason: str


class MissingOut(Schema):
    policy: str
    policy_name: str
    period: str
    previous: str
    townships_compared: int
    townships_without_batch: int
    count: int
    page: int
    pages: int
    rows: list[MissingRowOut]


@router.get("/missing", response=MissingOut, url_name="rosters_missing_api",
            summary="漏发比对：上期已审核发放、本期同乡镇名册中没有或已剔除的对象（按村、姓名排序，分页）")
def missing_list(request, policy: str, period: str, village: str = "", page: int = 1, per_page: int = 50):
    c = missing.missing(request.user, policy_code=policy, period=period, village=village)
    pages = Paginator(c.rows, max(1, min(per_page, PER_PAGE_MAX)))
    p = pages.get_page(page)
    return {"policy": c.policy_code, "policy_name": c.policy_name, "period": c.period, "previous": c.previous,
            "townships_compared": c.townships_compared, "townships_without_batch": c.townships_without_batch,
            "count": pages.count, "page": p.number, "pages": pages.num_pages,
            "rows": [{"item_id": r["id"], "name": r["name"], "id_masked": r["id_masked"],
                      "township_code": r["batch__region_id"], "township": r["batch__region__name"],
                      "village_code": r["village_id"], "village": r["village__name"], "household_no": r["household_no"],
                      "last_amount_fen": r["amount_fen"], "last_batch": r["batch__code"], "reason": missing.reason(r)}
                     for r in p.object_list]}


@router.get("/missing/export", url_name="rosters_missing_export_api",
            summary="导出漏发比对（format：xlsx 或 csv；证件号码脱敏；记入审计）")
def missing_export(request, policy: str, period: str, village: str = "", format: str = "xlsx"):
    if not request.user.has_role(*missing.READERS):
        from yikatong.core.refusals import Forbidden

        raise Forbidden("MISSING_ROLE_NOT_ALLOWED")
    data, name, ctype = export(request.user, {"policy_code": policy, "period": period, "village": village}, format)
    return export_response(data, filename=name, **({"content_type": ctype} if ctype else {}))
