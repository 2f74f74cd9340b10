"""JSON API (django-ninja). Every operation requires a session or a bearer token unless
it is on the explicit public allow-list (only the OpenAPI schema)."""
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from yikatong.accounts.middleware import needs_second_factor
from yikatong.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class LoggedInSession(SessionAuth):
    """Session auth (CSRF enforced on unsafe methods by ninja). Where two-factor is required,
    a session that has not passed TOTP is not authenticated for the API either."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user and needs_second_factor(request):
            return None
        return user


api = NinjaAPI(
    title="一卡通 API",
    version="1",
    description="惠民惠农财政补贴“一卡通”发放管理系统接口。认证：登录会话或 Bearer 令牌（在“API 令牌”页面申请）。",
    auth=[LoggedInSession(), TokenAuth()],
    urls_namespace="api",
    docs_decorator=None,  # docs page: login required by DenyByDefaultMiddleware
)

from yikatong.web.errors import install_api_handlers  # noqa: E402

install_api_handlers(api)  # errors as JSON {"code", "message"}; never a raw exception text

from yikatong.accounts.api import router as accounts_router  # noqa: E402
from yikatong.jobs.api import router as jobs_router  # noqa: E402
from yikatong.checks.api import router as checks_router  # noqa: E402
from yikatong.funds.api import router as funds_router  # noqa: E402
from yikatong.policies.api import router as policies_router  # noqa: E402
from yikatong.payments.api import router as payments_router  # noqa: E402
from yikatong.registry.api import router as registry_router  # noqa: E402
from yikatong.rosters.api import router as rosters_router  # noqa: E402
from yikatong.web.api import router as web_router  # noqa: E402

api.add_router("/", web_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/jobs/", jobs_router)
api.add_router("/policies/", policies_router)
api.add_router("/funds/", funds_router)
api.add_router("/registry/", registry_router)
api.add_router("/rosters/", rosters_router)
api.add_router("/payments/", payments_router)
api.add_router("/checks/", checks_router)
