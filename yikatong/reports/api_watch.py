"""JSON API of the watch lists of issue 16 §5 (a router of its own on /api/reports/): accounts paying many
persons (reports.shared_accounts; last 4 digits and masked IDs only) and the yearly per-person view
(reports.person_year; the ID number in the POST body, never the query string; audited). Refusals:
WATCH_YEAR_INVALID, SHARED_ACCOUNT_*, PERSON_YEAR_* (reports.errors)."""
import datetime

from django.core.paginator import Paginator
from ninja import Router, Schema

from yikatong.core.downloads import export_response
from yikatong.core.refusals import Forbidden

from . import person_year as py
from . import shared_accounts as sa
from .views_watch import export

router = Router(tags=["监测报表"])
PER_PAGE_MAX = 200


class SharedAccountOut(Schema):
    item_id: int  # a roster item on the account: the key of the drill-down
    account_last4: str
    bank: str
    recipients: int
    households: int
    lines: int
    total_fen: int


class SharedAccountsOut(Schema):
    year: str
    min_recipients: int
    count: int
    page: int
    pages: int
    rows: list[SharedAccountOut]


class AccountLineOut(Schema):
    line_id: int
    policy: str
    period: str
    township: str
    village: str | None
    name: str
    id_masked: str
    household_no: str
    amount_fen: int
    paid_at: datetime.datetime | None
    batch: str


class AccountLinesOut(Schema):
    account_last4: str
    rows: list[AccountLineOut]


@router.get("/shared-accounts", response=SharedAccountsOut, url_name="reports_shared_accounts_api",
            summary="疑似一卡多人：一年内为多名不同对象领取补贴的账户（账号后四位，分页）")
def shared_accounts(request, year: str, min_recipients: int = sa.MIN_RECIPIENTS, page: int = 1, per_page: int = 50):
    r = sa.shared_accounts(request.user, year=year, min_recipients=min_recipients)
    pages = Paginator(r.rows, max(1, min(per_page, PER_PAGE_MAX)))
    p = pages.get_page(page)
    return {"year": r.year, "min_recipients": r.min_recipients, "count": pages.count, "page": p.number,
            "pages": pages.num_pages,
            "rows": [{"item_id": x["item_id"], "account_last4": sa.last4(x["masked"]), "bank": x["bank"] or "",
                      "recipients": x["recipients"], "households": x["households"], "lines": x["lines"],
                      "total_fen": x["total_fen"]} for x in p.object_list]}


@router.get("/shared-accounts/{item_id}/lines", response=AccountLinesOut, url_name="reports_shared_account_lines_api",
            summary="一卡多人账户的发放明细（以该账户上的一条名册明细定位；证件号码脱敏）")
def shared_account_lines(request, item_id: int, year: str):
    tail, lines = sa.account_lines(request.user, year=year, item_id=item_id)
    return {"account_last4": tail, "rows": [
        {"line_id": r["pk"], "policy": r["batch_item__batch__policy__name"], "period": r["batch_item__batch__period"],
         "township": r["batch_item__batch__region__name"], "village": r["batch_item__village__name"],
         "name": r["batch_item__name"], "id_masked": r["batch_item__id_masked"],
         "household_no": r["batch_item__household_no"], "amount_fen": r["amount_fen"], "paid_at": r["paid_at"],
         "batch": r["batch_item__batch__code"]} for r in lines]}


@router.get("/shared-accounts/export", url_name="reports_shared_accounts_export_api",
            summary="导出疑似一卡多人账户或某账户明细（format：xlsx 或 csv；记入审计）")
def shared_accounts_export(request, year: str, min_recipients: int = sa.MIN_RECIPIENTS, item: str = "",
                           format: str = "xlsx"):
    if not request.user.has_role(*sa.READERS):
        raise Forbidden("SHARED_ACCOUNT_ROLE")
    data, name, ctype = export(request.user, {"year": year, "min_recipients": min_recipients, "item": item}, format)
    return export_response(data, filename=name, **({"content_type": ctype} if ctype else {}))


class PersonYearIn(Schema):
    id_number: str
    year: str


class PolicyTotalOut(Schema):
    policy: str
    amount_fen: int


class PersonTotalOut(Schema):
    name: str
    id_masked: str
    relation: str
    total_fen: int
    policies: list[PolicyTotalOut]
    lines: list[AccountLineOut]


class ConflictOut(Schema):
    name: str
    id_masked: str
    policy: str
    period: str
    other_policy: str
    other_period: str


class PersonYearOut(Schema):
    year: str
    found: bool
    household_no: str
    total_fen: int
    people: list[PersonTotalOut]
    conflicts: list[ConflictOut]


@router.post("/person-year", response=PersonYearOut, url_name="reports_person_year_api",
             summary="个人（家庭）年度享受情况：按身份证号码查本人及同户成员全年已发放补贴，标出同期互斥（记入审计）")
def person_year(request, payload: PersonYearIn):
    v = py.person_year(request.user, id_number=payload.id_number, year=payload.year)
    return {"year": v.year, "found": v.found, "household_no": v.household_no, "total_fen": v.total_fen,
            "conflicts": [c.__dict__ for c in v.conflicts],
            "people": [{"name": p.name, "id_masked": p.id_masked, "relation": p.relation, "total_fen": p.total_fen,
                        "policies": [{"policy": k, "amount_fen": f} for k, f in p.by_policy.items()],
                        "lines": [{"line_id": r["pk"], "policy": r["batch_item__batch__policy__name"],
                                   "period": r["batch_item__batch__period"],
                                   "township": r["batch_item__batch__region__name"], "village": None,
                                   "name": r["batch_item__name"], "id_masked": r["batch_item__id_masked"],
                                   "household_no": v.household_no, "amount_fen": r["amount_fen"],
                                   "paid_at": r["paid_at"], "batch": r["batch_item__batch__code"]}
                                  for r in p.lines]} for p in v.people]}
