"""The dashboard page (监管看板): the panels of the reader's role family for a month; charts are drawn in the
browser (static/js/dashboard.js, ECharts) from the same data, passed with json_script. Thin: one selector."""
from django.shortcuts import render

from yikatong.web.permissions import requires

from . import dashboard_selectors


@requires(dashboard_selectors.may_read, "DASHBOARD_ROLE")
def dashboard(request):
    data = dashboard_selectors.dashboard(request.user, period=request.GET.get("period", "").strip()[:7])
    return render(request, "reports/dashboard.html", {"d": data, "panels": set(data["panels"])})
