"""Headless Chromium at 1366 px (issue 16 acceptance): the finance dashboard draws its ECharts canvases, and a
click on a drill-down link opens the list behind the figure (the batches in that step). The screenshot goes to
the test's tmp_path, and to docs/screenshots/ when YKT_SCREENSHOT_DIR names it."""
import os
import shutil
from urllib.parse import parse_qs, urlparse

import pytest

from yikatong.web.tests.test_browser import _login, chromium

from .test_dashboard import dash  # noqa: F401  (the fixture: a random county ledger and its readers)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_dashboard_draws_charts_and_drills_down(live_server, dash, tmp_path):  # noqa: F811
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        _login(page, live_server.url, "fin")
        page.goto(f"{live_server.url}/reports/dashboard/?period=2026-11")
        page.wait_for_selector("body[data-dashboard-ready]")
        for chart in ("chart-money", "chart-trend", "chart-progress", "chart-findings"):
            size = page.evaluate(f"""(() => {{ const c = document.querySelector('#{chart} canvas');
                return c ? [c.width, c.height, c.toDataURL().length] : null; }})()""")
            assert size and size[0] > 600 and size[1] > 200 and size[2] > 5000, (chart, size)
        # the page fits the screen (the navbar's many entries wrap)
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0
        shot = tmp_path / "dashboard-finance.png"
        page.screenshot(path=str(shot), full_page=True)
        if os.environ.get("YKT_SCREENSHOT_DIR"):
            shutil.copy(shot, os.path.join(os.environ["YKT_SCREENSHOT_DIR"], shot.name))

        link = page.locator("[data-testid=drill-state]").first
        label = link.inner_text()
        link.click()
        page.wait_for_load_state()
        url = urlparse(page.url)
        assert url.path == "/rosters/" and parse_qs(url.query)["state"]
        listed = page.inner_text("main")
        assert label in listed
