from ninja import Router

from .health import health

router = Router(tags=["系统"])


@router.get("/health", summary="数据库与后台任务状态")
def api_health(request):
    return health()
