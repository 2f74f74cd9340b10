"""JSON API of county-wide rosters (mounted at /api/rosters/ beside rosters.api, a router of its own).

    POST /api/rosters/county-rosters   multipart: file, policy, period, region (the county's code)
        201 {"batches": [{township, township_name, batch_id, batch_code, rows, persons, amount_fen}, …],
             "rows", "amount_fen", "warnings": [problem, …]}
        400 {"code": "COUNTY_ROSTER_INVALID", "message", "problems": [{row, column, value, level, code, message}]}
            — nothing was created; rows are the county file's
        403 COUNTY_ROSTER_NOT_IN_SCOPE (a township user, another county), or the batch services' role refusals

Thin: rosters.county.county_roster_split, the service the batch list's county upload calls. ID numbers,
accounts and phones in problems are masked (API answers end up in scripts and logs)."""
from ninja import File, Form, Router, Schema, Status, UploadedFile

from yikatong.core import uploads

from . import selectors
from .county import CountyRosterRefused, county_roster_split, summary_rows

router = Router(tags=["发放批次"])


class ProblemOut(Schema):
    row: int | None
    column: str
    value: str
    level: str
    code: str
    message: str


class TownshipBatchOut(Schema):
    township: str
    township_name: str
    batch_id: int
    batch_code: str
    rows: int
    persons: int
    amount_fen: int


class CountyRosterOut(Schema):
    batches: list[TownshipBatchOut]
    rows: int
    amount_fen: int
    warnings: list[ProblemOut]


def _problems(problems: list[dict]) -> list[dict]:
    return [{"row": p.get("line"), "column": p.get("column", ""), "value": str(p.get("value", "")),
             "level": p.get("level", "error"), "code": p.get("code", ""), "message": p.get("message", "")}
            for p in selectors.masked_problems(problems)[:2000]]


@router.post("/county-rosters", response={201: CountyRosterOut}, url_name="rosters_county_roster",
             summary="全县清册按乡镇拆分：每个乡镇一个批次并导入，全部正确才生成（multipart：file、policy、period、region 县代码）")
def county_roster(request, file: UploadedFile = File(...), policy: str = Form(...), period: str = Form(...),
                  region: str = Form(...)):
    from yikatong.regions.selectors import region_or_refuse
    from yikatong.web.errors import json_error

    county = region_or_refuse(region)
    data = uploads.read(request, file, "roster")
    try:
        result = county_roster_split(actor=request.user, policy=selectors.payable_policy(policy, region=county, period=period),
                                     period=period.strip(), county_region=county, data=data,
                                     filename=file.name or "county.csv")
    except CountyRosterRefused as exc:
        return json_error(exc.code, exc.message, 400, problems=_problems(exc.problems))
    return Status(201, {"batches": summary_rows(result), "rows": result.rows, "amount_fen": result.amount_fen,
                        "warnings": _problems(result.warnings)})
