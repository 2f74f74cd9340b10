"""JSON API (django-ninja). Every operation requires a session or a bearer token unless
it is on the explicit public allow-list (only the OpenAPI schema)."""
from ninja import NinjaAPI

from yikatong.accounts.api_auth import LoggedInSession, TokenAuth, refusal_response
from yikatong.accounts.errors import AccountRefusal

api = NinjaAPI(
    title="一卡通 API",
    version="1",
    description="惠民惠农财政补贴“一卡通”发放管理系统接口。认证：登录会话或 Bearer 令牌（在“API 令牌”页面申请）。",
    auth=[TokenAuth(), LoggedInSession()],  # a bearer request never falls back to the session
    urls_namespace="api",
    docs_decorator=None,  # docs page: login required by DenyByDefaultMiddleware
)
api.add_exception_handler(AccountRefusal, refusal_response(api))

from yikatong.web.errors import install_api_handlers  # noqa: E402

install_api_handlers(api)  # errors as JSON {"code", "message"}; never a raw exception text

from yikatong.accounts.api import router as accounts_router  # noqa: E402
from yikatong.applications.api import router as applications_router  # noqa: E402
from yikatong.jobs.api import router as jobs_router  # noqa: E402
from yikatong.payments.api import router as payments_router  # noqa: E402
from yikatong.checks.api import router as checks_router  # noqa: E402
from yikatong.funds.api import router as funds_router  # noqa: E402
from yikatong.policies.api import router as policies_router  # noqa: E402
from yikatong.registry.api import router as registry_router  # noqa: E402
from yikatong.rosters.api import router as rosters_router  # noqa: E402
from yikatong.supervision.api import router as supervision_router  # noqa: E402
from yikatong.rosters.api_county import router as rosters_county_router  # noqa: E402
from yikatong.rosters.api_missing import router as rosters_missing_router  # noqa: E402  (issue 16 §5a)
from yikatong.web.api import router as web_router  # noqa: E402
from yikatong.disclosure.api import router as disclosure_router  # noqa: E402  (issue 15)
from yikatong.disclosure.api_complaints import router as complaints_router  # noqa: E402  (disclosure: complaints)
from yikatong.reports.api import router as reports_router  # noqa: E402  (issue 16 §1: monitoring reports)
from yikatong.reports.api_watch import router as reports_watch_router  # noqa: E402  (issue 16 §5b, §5c)

api.add_router("/", web_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/jobs/", jobs_router)
api.add_router("/policies/", policies_router)
api.add_router("/funds/", funds_router)
api.add_router("/registry/", registry_router)
api.add_router("/rosters/", rosters_router)
api.add_router("/rosters/", rosters_county_router)  # a second router on the same prefix (county-wide rosters)
api.add_router("/rosters/", rosters_missing_router)  # and a third: 漏发 detection
api.add_router("/applications/", applications_router)
api.add_router("/checks/", checks_router)
api.add_router("/supervision/", supervision_router)
api.add_router("/payments/", payments_router)
api.add_router("/disclosure/", disclosure_router)  # issue 15
api.add_router("/disclosure/", complaints_router)  # disclosure: complaints
api.add_router("/reports/", reports_watch_router)  # first, before /{report_id}: the watch lists (§5b, §5c)
api.add_router("/reports/", reports_router)  # issue 16 §1: monitoring reports
