"""Base-register import: upload (runs as a background job), its progress, result and errors."""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yikatong.accounts.scope import region_in_scope
from yikatong.core import uploads
from yikatong.core.xlsx import write_xlsx
from yikatong.web.permissions import Forbidden

from .. import selectors, services
from ..forms import RegisterUploadForm
from ..permissions import MAINTAIN_ROLES
from ..register_format import TEMPLATE_HEADERS


def _regions(user):
    region = user.region
    if region is None:
        return []
    if region.level == 4:
        return [region]
    return [region, *selectors.townships_for(user)] if region.level == 3 else list(selectors.townships_for(user))


@require_http_methods(["GET", "POST"])
def imports(request):
    if not request.user.has_role(*MAINTAIN_ROLES):
        raise Forbidden()
    asked = request.POST.get("region", "")
    if asked and not region_in_scope(request.user, asked.ljust(12, "0")):
        raise Forbidden()
    form = RegisterUploadForm(request.POST or None, request.FILES or None, regions=_regions(request.user))
    try:
        if request.method == "POST":
            uploads.refuse_oversized(request, "file", "register")
    except uploads.UploadRefused as exc:
        uploads.flash(request, exc)
        return redirect("registry_imports")
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            imp = services.register_import_start(
                actor=request.user, data=uploads.read(request, f, "register"), file_name=f.name,
                region_code=form.cleaned_data["region"] or None
            )
        except uploads.UploadRefused as exc:
            uploads.flash(request, exc)
            return redirect("registry_imports")
        messages.info(request, "文件已上传，正在后台导入，请稍候")
        return redirect("registry_import", import_id=imp.pk)
    return render(request, "registry/imports.html", {"form": form, "imports": selectors.imports_for(request.user)[:50]})


def import_detail(request, import_id: int):
    if not request.user.has_role(*MAINTAIN_ROLES):
        raise Forbidden()
    imp = selectors.imports_for(request.user).filter(pk=import_id).first()
    if imp is None:
        raise Http404("没有这次导入，或不在您的辖区")
    return render(request, "registry/import_detail.html", {
        "imp": imp, "job": imp.job, "errors": selectors.import_errors(imp)[:500], "finished": imp.finished_at is not None,
    })


def import_template(request):
    if not request.user.has_role(*MAINTAIN_ROLES):
        raise Forbidden()
    example = ["1", "张三", "", "第一村委会", "0001", "户主", "", "正常", "", "社保卡", "农村信用合作联社", "", "正常"]
    data = write_xlsx(TEMPLATE_HEADERS, [example], title="补贴对象基础信息底册（乡镇财政所）", text_columns=[2, 4, 6, 11],
                      footer=["说明：身份证号码、银行账号、联系电话、户号请设置为“文本”格式；人员状态填 正常/死亡/迁出/其他。",
                              "经办人：            审核人："])
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = "attachment; filename*=UTF-8''register-template.xlsx"
    return resp
