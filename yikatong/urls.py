"""URL map. Everything requires login unless listed in PUBLIC_URL_NAMES (see accounts.middleware)."""
from django.apps import apps
from django.urls import include, path

from yikatong.api import api

urlpatterns = [
    path("", include("yikatong.web.urls")),
    path("", include("yikatong.accounts.urls")),
    path("jobs/", include("yikatong.jobs.urls")),
    path("calendar/", include("yikatong.core.urls")),
    path("audit/", include("yikatong.web.audit_urls")),
    path("policies/", include("yikatong.policies.urls")),
    path("funds/", include("yikatong.funds.urls")),
    path("registry/", include("yikatong.registry.urls")),
    path("rosters/", include("yikatong.rosters.urls")),
    path("applications/", include("yikatong.applications.urls")),
    path("disclosure/", include("yikatong.disclosure.urls")),
    path("payments/", include("yikatong.payments.urls")),
    path("checks/", include("yikatong.checks.urls")),
    path("supervision/", include("yikatong.supervision.urls")),
    path("reports/", include("yikatong.reports.urls")),
    path("public/", include("yikatong.web.public_urls")),
    path("api/", api.urls),
]
if apps.is_installed("yikatong.banksim"):  # demo and test settings only (settings/demo.py)
    urlpatterns.append(path("banksim/", include("yikatong.banksim.urls")))

# Error pages in Chinese (JSON {"code", "message"} under /api/): yikatong.web.errors
handler400 = "yikatong.web.errors.bad_request"
handler403 = "yikatong.web.errors.permission_denied"
handler404 = "yikatong.web.errors.page_not_found"
handler500 = "yikatong.web.errors.server_error"
