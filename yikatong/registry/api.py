"""JSON API of the register (mounted at /api/registry/). Every operation requires a session or
a bearer token (NinjaAPI auth) and checks role and region; personal values are masked.
A refusal reaches the API's handlers (web.errors.install_api_handlers) as it is raised: JSON
{"code", "message"} with 403 for a Forbidden, 400 for a coded ValidationError, 404 for RegistryNotFound."""
import datetime as dt

from ninja import File, Form, Router, Schema, Status, UploadedFile

from yikatong.core.refusals import Forbidden, invalid

from . import lookups, selectors
from .compare import compare_for
from .errors import RegistryNotFound
from .permissions import COMPARE_ROLES, VIEW_ROLES, require_region

router = Router(tags=["补贴对象信息库"])
COMPARE_MAX_ROWS = 50000  # rows of one comparison request


class CompareRowIn(Schema):
    name: str
    id_number: str
    account_no: str = ""
    village: str = ""
    line: int | None = None


class CompareIn(Schema):
    rows: list[CompareRowIn]
    township_code: str | None = None


class StatusOut(Schema):
    code: str
    label: str
    message: str


class CompareOut(Schema):
    index: int
    line: int | None
    ok: bool
    statuses: list[StatusOut]
    person_id: int | None
    org_id: int | None


class SearchIn(Schema):
    q: str


class PersonOut(Schema):
    id: int
    name: str
    masked_id: str
    sex: str
    birth_date: str
    village: str
    household: str
    status: str
    account: str


class IdIn(Schema):
    id_number: str


class HitOut(Schema):
    dataset: str
    dataset_label: str
    source_agency: str
    as_of: str
    event_date: str | None
    summary: str


def _require(request, roles):
    if not request.user.has_role(*roles):
        raise Forbidden("REGISTRY_ROLE_NOT_ALLOWED", what="使用此接口")


@router.post("/compare", response=list[CompareOut], summary="复核比对：名单与底册比对")
def compare(request, payload: CompareIn):
    _require(request, COMPARE_ROLES)
    if len(payload.rows) > COMPARE_MAX_ROWS:
        raise invalid("COMPARE_TOO_MANY_ROWS", limit=COMPARE_MAX_ROWS)
    town = payload.township_code or (request.user.region.code if request.user.region and request.user.region.level == 4 else None)
    if town:
        require_region(request.user, town.ljust(12, "0"), "比对")  # Forbidden: 403 with its code
    results = compare_for(request.user, [r.dict() for r in payload.rows], township_code=town)
    return [
        {"index": r.index, "line": r.line, "ok": r.ok, "person_id": r.person_id, "org_id": r.org_id,
         "statuses": [{"code": f.code, "label": f.label, "message": f.message} for f in r.statuses]}
        for r in results
    ]


@router.post("/persons/search", response=list[PersonOut], summary="查询补贴对象（证件号码、账号已隐藏）")
def search(request, payload: SearchIn):
    _require(request, VIEW_ROLES)
    rows, _ = lookups.search(request.user, payload.q)  # rate limited (429 LOOKUP_RATE_LIMITED), audited
    return [{**r.__dict__, "birth_date": r.birth_date.isoformat()} for r in rows]


@router.get("/persons/{person_id}", response=PersonOut, summary="补贴对象基本信息（隐藏证件号码）")
def person(request, person_id: int):
    _require(request, VIEW_ROLES)
    d = selectors.person_detail(request.user, person_id)
    if d is None:
        raise RegistryNotFound("PERSON_NOT_IN_SCOPE")
    p = d.person
    current = next((a for a in d.accounts if a.account.is_current), None)
    return {"id": p.pk, "name": p.name, "masked_id": d.masked_id, "sex": p.sex, "birth_date": p.birth_date.isoformat(),
            "village": p.village.name, "household": p.household.number if p.household_id else "",
            "status": p.get_status_display(), "account": current.masked if current else ""}


@router.post("/reference-hits", response=list[HitOut], summary="按身份证号码查询共享比对数据")
def reference_hits(request, payload: IdIn):
    _require(request, COMPARE_ROLES)
    return [
        {"dataset": h.dataset, "dataset_label": h.dataset_label, "source_agency": h.source_agency,
         "as_of": h.as_of.isoformat(), "event_date": h.event_date.isoformat() if h.event_date else None,
         "summary": h.summary}
        for h in lookups.reference_hits(request.user, payload.id_number)
    ]


class JobStarted(Schema):
    job: int


@router.post("/imports", response={202: JobStarted}, url_name="registry_import_start",
             summary="导入补贴对象底册（multipart：file 文件，region 乡镇或县的12位区划代码），后台任务")
def register_import(request, file: UploadedFile = File(...), region: str = Form("")):
    from yikatong.core import uploads
    from yikatong.regions.selectors import region_or_refuse

    from . import services

    region = region.strip()
    if region:
        region_or_refuse(region)
    # not a township or county: Forbidden REGISTER_IMPORT_REGION_LEVEL (services.register_import.import_scope)
    imp = services.register_import_start(actor=request.user, data=uploads.read(request, file, "register"),
                                         file_name=file.name or "register.xlsx", region_code=region or None)
    return Status(202, {"job": imp.job_id})


@router.post("/references", response={202: JobStarted}, url_name="registry_reference_start",
             summary="导入共享比对数据（multipart：file、kind、agency、as_of 截至日期 YYYY-MM-DD、region），后台任务")
def reference_load(request, file: UploadedFile = File(...), kind: str = Form(...), agency: str = Form(...),
                   as_of: dt.date = Form(...), region: str = Form("")):
    from yikatong.core import uploads

    from .services.reference import reference_load_start

    job = reference_load_start(actor=request.user, kind=kind, source_agency=agency, as_of=as_of,
                               data=uploads.read(request, file, "reference"), file_name=file.name or "reference.xlsx",
                               region_code=region.strip() or None)
    return Status(202, {"job": job.pk})


# --- reveal, life events, register imports ------------------------------------------------------------
# A person outside the caller's scope is 404 (PERSON_NOT_IN_SCOPE), as on the person page; role,
# input and audit are the services' (registry.services.people).

def _visible_person(request, person_id: int) -> None:
    if not selectors.persons_for(request.user).filter(pk=person_id).exists():
        raise RegistryNotFound("PERSON_NOT_IN_SCOPE")


class RevealIn(Schema):
    account: int | None = None  # the bank account's id, for field=account


class RevealOut(Schema):
    person: int
    field: str
    value: str


@router.post("/persons/{person_id}/reveal/{field}", response=RevealOut, url_name="registry_reveal",
             summary="查看完整个人信息（field：id_number 证件号码 / phone 电话 / account 账号，须给 account）；"
                     "仅乡镇财政所、主管部门审核员、系统管理员，每次查看记入审计")
def reveal(request, person_id: int, field: str, payload: RevealIn):
    from . import services

    _visible_person(request, person_id)
    value = services.person_field_reveal(actor=request.user, person_id=person_id, field=field,
                                         account_id=payload.account)
    return {"person": person_id, "field": field, "value": value}


class LifeEventIn(Schema):
    kind: str  # move_in / move_out / death / account_change / card_reissue / account_status
    effective_date: dt.date
    source: str
    village: str = ""  # move_in: the 12-digit village code
    account_no: str = ""
    account_kind: str = ""
    bank: str = ""
    account_status: str = ""


@router.post("/persons/{person_id}/events", response=PersonOut, url_name="registry_life_event",
             summary="登记人员变动（迁入、迁出、死亡、账户变更、挂失补卡、账户状态变更），底册更新并保留历史")
def life_event(request, person_id: int, payload: LifeEventIn):
    from . import services

    _visible_person(request, person_id)
    services.life_event_record(actor=request.user, person_id=person_id, kind=payload.kind,
                               effective_date=payload.effective_date, source=payload.source,
                               village_code=payload.village, account_no=payload.account_no,
                               account_kind=payload.account_kind, bank=payload.bank,
                               account_status=payload.account_status)
    return person(request, person_id)


class ImportErrorOut(Schema):
    line: int | None
    column: str
    value: str
    message: str
    code: str


class RegisterImportOut(Schema):
    id: int
    file_name: str
    region: str
    state: str
    rows: int
    created: int
    updated: int
    unchanged: int
    events: int
    error_count: int
    finished: bool
    job: int | None
    errors: list[ImportErrorOut]


def _masked(text) -> str:
    import re

    return re.sub(r"\d{10,}[\dXx]?", lambda m: m.group(0)[:4] + "*" * max(len(m.group(0)) - 8, 2) + m.group(0)[-4:],
                  str(text or ""))


@router.get("/imports/{import_id}", response=RegisterImportOut, url_name="registry_import",
            summary="一次底册导入的进度、结果及错误（行号；证件号码、账号已隐藏）")
def register_import_detail(request, import_id: int):
    from .permissions import MAINTAIN_ROLES

    _require(request, MAINTAIN_ROLES)
    imp = selectors.imports_for(request.user).filter(pk=import_id).first()
    if imp is None:
        raise RegistryNotFound("REGISTER_IMPORT_NOT_IN_SCOPE")
    return {"id": imp.pk, "file_name": imp.file_name, "region": imp.region_id, "state": imp.state, "rows": imp.rows,
            "created": imp.created, "updated": imp.updated, "unchanged": imp.unchanged, "events": imp.events,
            "error_count": imp.error_count, "finished": imp.finished_at is not None, "job": imp.job_id,
            "errors": [{"line": e.get("line"), "column": str(e.get("column", "")), "value": _masked(e.get("value")),
                        "message": _masked(e.get("message")), "code": str(e.get("code") or "")}
                       for e in selectors.import_errors(imp)[:2000]]}


from . import api_cards  # noqa: E402,F401  (the social-security-card operations, on this router)
