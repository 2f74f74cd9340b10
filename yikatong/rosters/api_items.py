"""JSON API of a batch's items (明细) (on rosters.api's router): the paged list, adding, editing and
removing an item, the result of a roster import and the xlsx exports. ID numbers and accounts masked."""
from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from . import selectors, services
from .api import ImportOut, ImportProblemOut, _batch, router


# --- items of a batch (明细) -------------------------------------------------------------------------

class ItemOut(Schema):
    id: int
    seq: int
    row: int | None  # the row number in the uploaded roster file (None: entered by hand)
    name: str
    id_masked: str
    village: str | None
    account_masked: str
    account_holder: str
    bank_name: str
    amount_fen: int
    status: str
    removed_reason: str


class ItemPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[ItemOut]


def _item_out(i) -> dict:
    return {"id": i.pk, "seq": i.seq, "row": i.source_row, "name": i.name, "id_masked": i.id_masked,
            "village": i.village_id, "account_masked": i.account_masked, "account_holder": i.account_holder,
            "bank_name": i.bank_name, "amount_fen": i.amount_fen, "status": i.status,
            "removed_reason": i.removed_reason}


def _item(request, item_id: int):
    """An item of a batch the caller sees, else 404."""
    from .models import BatchItem

    return get_object_or_404(BatchItem.objects.filter(batch__in=selectors.batches_for(request.user)), pk=item_id)


def _yuan(fen: int | None) -> str:
    if fen is None:
        return ""
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}"


@router.get("/batches/{batch_id}/items", response=ItemPage, url_name="rosters_batch_items",
            summary="批次明细（证件号码、账号已隐藏；行号为上传文件中的行号），分页：offset、limit（最多 1000）", operation_id="yikatong_rosters_api_items")
def items(request, batch_id: int, offset: int = 0, limit: int = 200, status: str = ""):
    b = _batch(request, batch_id)
    qs = b.items.all() if not status else b.items.filter(status=status)
    offset, limit = max(offset, 0), min(max(limit, 1), 1000)
    return {"count": qs.count(), "offset": offset, "limit": limit,
            "items": [_item_out(i) for i in qs.order_by("seq")[offset:offset + limit]]}


class ItemIn(Schema):
    """One row as the roster template has it (the same checks as an imported row)."""
    name: str
    id_number: str
    village: str = ""  # 村(社区) name as in the roster
    phone: str = ""
    account: str
    quantity: str = ""
    amount_fen: int | None = None  # empty: the policy's standard
    memo: str = ""


@router.post("/batches/{batch_id}/items", response={201: ItemOut}, url_name="rosters_item_add",
             summary="录入一条明细（草稿批次；与导入的行同样校验）", operation_id="yikatong_rosters_api_item_add")
def item_add(request, batch_id: int, payload: ItemIn):
    b = _batch(request, batch_id)
    values = {"姓名": payload.name, "身份证号码": payload.id_number, "村(社区)": payload.village,
              "联系电话": payload.phone, "银行账号": payload.account, "补贴数量": payload.quantity,
              "发放金额(元)": _yuan(payload.amount_fen), "备注": payload.memo}
    item = services.item_add(actor=request.user, batch_id=b.pk, values=values)
    return Status(201, _item_out(item))


class ItemEditIn(Schema):
    account: str = ""
    account_holder: str = ""
    bank_name: str = ""
    amount_fen: int | None = None
    reason: str = ""


@router.post("/items/{item_id}", response=ItemOut, url_name="rosters_item_edit",
             summary="更正明细：银行账号、账户户名、开户银行、发放金额（须写原因；草稿批次）", operation_id="yikatong_rosters_api_item_edit")
def item_edit(request, item_id: int, payload: ItemEditIn):
    item = _item(request, item_id)
    values = {"银行账号": payload.account, "账户户名": payload.account_holder, "开户银行": payload.bank_name,
              "发放金额(元)": _yuan(payload.amount_fen)}
    item = services.item_edit(actor=request.user, batch_id=item.batch_id, item_id=item.pk, values=values,
                              reason=payload.reason)
    return _item_out(item)


class ReasonIn(Schema):
    reason: str = ""


@router.post("/items/{item_id}/remove", response=ItemOut, url_name="rosters_item_remove",
             summary="剔除明细（须写原因；草稿批次）", operation_id="yikatong_rosters_api_item_remove")
def item_remove(request, item_id: int, payload: ReasonIn):
    item = _item(request, item_id)
    services.item_remove(actor=request.user, batch_id=item.batch_id, item_id=item.pk, reason=payload.reason)
    item.refresh_from_db()
    return _item_out(item)


# --- imports ----------------------------------------------------------------------------------------

class ImportRunOut(ImportOut):
    batch: int
    problems: list[ImportProblemOut]


@router.get("/imports/{run_id}", response=ImportRunOut, url_name="rosters_import",
            summary="一次清册导入的结果及校验问题（行号；上传人以外的人看到的证件号码、账号、电话已隐藏）", operation_id="yikatong_rosters_api_import_result")
def import_result(request, run_id: int, level: str = ""):
    from .models import ImportRun

    run = get_object_or_404(ImportRun.objects.filter(batch__in=selectors.batches_for(request.user)), pk=run_id)
    problems = selectors.import_problems_for(request.user, run) if run.processed_at else []
    return {"id": run.pk, "batch": run.batch_id, "filename": run.filename, "processed": run.processed_at is not None,
            "imported": run.imported, "rows": run.rows, "accepted": run.accepted, "message": run.message,
            "job": run.job_id,
            "problems": [{"row": p.get("line"), "column": p.get("column", ""), "value": str(p.get("value", "")),
                          "level": p.get("level", "error"), "code": p.get("code", ""),
                          "message": p.get("message", "")}
                         for p in problems if not level or p.get("level") == level][:5000]}


# --- exports ----------------------------------------------------------------------------------------

def _xlsx(data: bytes, name: str):
    from yikatong.core.downloads import export_response

    return export_response(data, filename=name)


@router.get("/batches/{batch_id}/roster.xlsx", url_name="rosters_batch_roster_xlsx",
            summary="下载发放清册（xlsx；导出留痕）", operation_id="yikatong_rosters_api_roster_xlsx")
def roster_xlsx(request, batch_id: int):
    from yikatong.audit.services import record_export

    from . import exports

    b = _batch(request, batch_id)
    data = exports.roster_xlsx(b)
    record_export(actor=request.user, what="roster_xlsx", obj=b, rows=b.items.filter(status="active").count())
    return _xlsx(data, f"{exports.title_of(b, '发放清册')}.xlsx")


@router.get("/batches/{batch_id}/template.xlsx", url_name="rosters_batch_template",
            summary="下载本批次的清册模板（xlsx）", operation_id="yikatong_rosters_api_template_xlsx")
def template_xlsx(request, batch_id: int):
    from . import exports

    b = _batch(request, batch_id)
    return _xlsx(exports.template_xlsx(b), f"{exports.title_of(b, '发放清册模板')}.xlsx")


@router.get("/batches/{batch_id}/summary.xlsx", url_name="rosters_batch_summary_xlsx",
            summary="下载发放汇总表（xlsx）", operation_id="yikatong_rosters_api_summary_xlsx")
def summary_xlsx(request, batch_id: int):
    from . import exports

    b = _batch(request, batch_id)
    return _xlsx(exports.summary_xlsx(b), f"{exports.title_of(b, '汇总表')}.xlsx")
