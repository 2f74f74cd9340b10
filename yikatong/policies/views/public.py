"""Public policy pages (公开的补贴政策清单): no login, published catalogues only, never confidential."""
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from yikatong.core.xlsx import write_xlsx

from .. import public
from ..choices import TargetGroup
from ..models import PolicyBasis
from .common import serve_file


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else public.default_year()


def _region(region_code: str):
    region = public.find_region(region_code)
    if region is None:
        raise Http404("没有这个行政区划")
    return region


@require_GET
def index(request):
    code = request.GET.get("region", "").strip()
    if code:
        return redirect("public_policy_list", region_code=code)
    year = _year(request)
    return render(request, "policies/public/index.html",
                  {"year": year, "regions": public.regions_with_catalogues(year)})


@require_GET
def policy_list(request, region_code: str):
    region, year = _region(region_code), _year(request)
    department, target = request.GET.get("department", ""), request.GET.get("target", "")
    all_policies = list(public.public_policies(region.code, year))
    policies = [p for p in all_policies if (not department or p.department.name == department)
                and (not target or p.target_group == target)]
    return render(request, "policies/public/list.html", {
        "region": region, "year": year, "policies": policies, "department": department, "target": target,
        "departments": public.departments(all_policies), "targets": TargetGroup.choices,
        "query": request.GET.urlencode(),
    })


@require_GET
def policy_detail(request, region_code: str, code: str):
    region, year = _region(region_code), _year(request)
    policy = public.public_policy(region.code, year, code)
    if policy is None:
        raise Http404("清单中没有这项政策")
    return render(request, "policies/public/detail.html", {
        "region": region, "year": year, "policy": policy, "rows": public.public_rows(policy),
        "basis": policy.basis_documents.all(),
    })


@require_GET
def policy_export(request, region_code: str):
    region, year = _region(region_code), _year(request)
    policies = public.public_policies(region.code, year, department=request.GET.get("department", ""),
                                      target=request.GET.get("target", ""))
    title = f"{region.name}{year}年惠民惠农财政补贴政策清单"
    data = write_xlsx(public.EXPORT_HEADERS, public.export_rows(policies), title=title, sheet_name="补贴政策清单",
                      text_columns=(1,))
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{region.code[:6]}-{year}-policies.xlsx"
    return resp


@require_GET
def basis_file(request, region_code: str, code: str, pk: int):
    region, year = _region(region_code), _year(request)
    policy = public.public_policy(region.code, year, code)
    basis = PolicyBasis.objects.filter(policy=policy, pk=pk).first() if policy else None
    if basis is None:
        raise Http404("没有这份文件")
    return serve_file(basis.file)
