"""复核比对 page (upload a list, get it back annotated) and the reference datasets page."""
import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yikatong.core import uploads
from yikatong.core.sheets import Column, SheetError, read_sheet
from yikatong.core.xlsx import write_xlsx
from yikatong.web.permissions import Forbidden

from .. import lookups, selectors, services
from ..compare import STATUS_LABELS, CompareRow, ComparisonResult, Finding, compare_for
from ..forms import CompareForm, ReferenceForm
from ..permissions import COMPARE_ROLES, REFERENCE_LOAD_ROLES, require_region

LIST_COLUMNS = [
    Column("序号", data=False),
    Column("姓名", ("户主姓名", "补贴对象姓名", "名称"), required=True, kind="compact"),
    Column("身份证号码", ("身份证号", "公民身份号码", "证件号码", "统一社会信用代码"), required=True, kind="identifier"),
    Column("银行账号", ("社保卡号", "社会保障卡金融账号", "卡号", "账号"), kind="identifier"),
    Column("村(社区)", ("所属村", "村组", "行政村", "村名"), kind="compact"),
]


def annotate(rows, results: list[ComparisonResult]) -> bytes:
    out = []
    for row, res in zip(rows, results):
        v = row.values
        out.append([row.line, v["姓名"], v["身份证号码"], v["银行账号"], v["村(社区)"],
                    "、".join(f.label for f in res.statuses), "；".join(f.message for f in res.statuses)])
    return write_xlsx(["原行号", "姓名", "身份证号码", "银行账号", "村(社区)", "比对结果", "说明"], out,
                      title="复核比对结果", text_columns=[2, 3])


@require_http_methods(["GET", "POST"])
def compare(request):
    user = request.user
    if not user.has_role(*COMPARE_ROLES):
        raise Forbidden()
    towns = list(selectors.townships_for(user))
    form = CompareForm(request.POST or None, request.FILES or None, townships=towns)
    if request.method == "POST" and (refused := uploads.refusal_of(request, "file", "compare")):
        uploads.flash(request, refused)
        return redirect("registry_compare")
    if request.method == "POST" and form.is_valid():
        town = form.cleaned_data["township"] or (user.region.code if user.region and user.region.level == 4 else None)
        if town:
            require_region(user, town, "比对")
        f = form.cleaned_data["file"]
        try:
            sheet = read_sheet(uploads.read(request, f, "compare"), LIST_COLUMNS, filename=f.name)
        except (SheetError, uploads.UploadRefused) as exc:
            uploads.flash(request, exc)
            return redirect("registry_compare")
        try:
            results = compare_for(
                user, [CompareRow(r.values["姓名"], r.values["身份证号码"], r.values["银行账号"], r.values["村(社区)"], r.line)
                 for r in sheet.rows], township_code=town)
        except lookups.LookupRateLimited as exc:
            messages.error(request, f"{exc.message}（{exc.code}）")
            return render(request, "registry/compare.html", {"form": form, "labels": STATUS_LABELS}, status=429)
        for row, res in zip(sheet.rows, results):
            if row.errors:  # e.g. an ID stored as a number: the sheet's message says why
                res.statuses = [Finding("invalid_id", "；".join(e.message for e in row.errors))]
        resp = HttpResponse(annotate(sheet.rows, results),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''compare-{dt.date.today():%Y%m%d}.xlsx"
        return resp
    return render(request, "registry/compare.html", {"form": form, "labels": STATUS_LABELS})


@require_http_methods(["GET", "POST"])
def reference(request):
    user = request.user
    can_load = user.has_role(*REFERENCE_LOAD_ROLES)
    if not (can_load or user.has_role(*COMPARE_ROLES)):
        raise Forbidden()
    form = ReferenceForm(request.POST or None, request.FILES or None) if can_load else None
    if request.method == "POST":
        if not can_load:
            raise Forbidden()
        if refused := uploads.refusal_of(request, "file", "reference"):
            uploads.flash(request, refused)
            return redirect("registry_reference")
        if form.is_valid():
            data = form.cleaned_data
            try:
                snap = services.reference_load(actor=user, dataset=data["dataset"], source_agency=data["source_agency"],
                                               as_of=data["as_of"], source=uploads.read(request, data["file"], "reference"),
                                               file_name=data["file"].name)
                messages.success(request, f"已导入{snap}：{snap.row_count} 行")
                for warning in snap.warnings:
                    messages.warning(request, warning)
                return redirect("registry_reference")
            except services.ReferenceFileError as exc:
                return render(request, "registry/reference.html", {
                    "form": form, "snapshots": selectors.snapshots_for(user)[:100], "file_errors": exc.errors_list[:500],
                    "file_error_code": exc.code})
            except uploads.UploadRefused as exc:
                uploads.flash(request, exc)
                return redirect("registry_reference")
    return render(request, "registry/reference.html", {"form": form, "snapshots": selectors.snapshots_for(user)[:100]})
