from django.http import JsonResponse
from ninja import Router

from .health import health

router = Router(tags=["系统"])


@router.get("/health", summary="数据库与后台任务状态（只给出正常与否，不含错误详情）")
def api_health(request):
    report = health()
    return JsonResponse(report, status=200 if report["database"]["state"] == "ok" else 503)
