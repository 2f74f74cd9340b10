"""A real headless Chromium (Debian's) logs in as two roles and sees their homes."""
import os
import shutil
from contextlib import contextmanager

import pytest

from conftest import PASSWORD
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role

CHROMIUM = os.environ.get("YKT_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextmanager
def chromium():
    """Start Playwright only after the test's database writes: its sync API runs an event
    loop in this thread, and Django must not touch the database from inside it."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (see README)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


def _login(page, base, username):
    page.goto(f"{base}/")
    assert "/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")


def test_two_roles_log_in_and_see_their_homes(live_server, make_user, regions):
    make_user("zhan", Role.TOWNSHIP_OPERATOR, region=regions["town1"], kind=OrgKind.TOWNSHIP_STATION)
    make_user("shenji", Role.SUPERVISOR)
    with chromium() as browser:
        _walk_two_homes(browser, live_server.url)


def _walk_two_homes(browser, base):
    page = browser.new_page()
    # issue 13: the Content-Security-Policy (script-src 'self') must block nothing the pages use
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    _login(page, base, "zhan")
    # the print button works through js/yikatong.js (no inline onclick)
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("[data-ykt-print]")
    assert page.evaluate("window.__printed === true")
    assert page.inner_text("[data-testid=shell-roles]") == "乡镇经办站所"
    assert page.inner_text("[data-testid=shell-region]") == "大槐树镇"
    assert page.is_visible("[data-testid=todo-empty]")
    assert page.locator("nav >> text=审计日志").count() == 0
    page.click("text=退出")
    page.wait_for_selector("#id_username")

    _login(page, base, "shenji")
    assert page.inner_text("[data-testid=shell-roles]") == "审计/纪检/监管"
    assert page.inner_text("[data-testid=shell-region]") == "洪洞县"
    page.click("nav >> text=审计日志")
    page.wait_for_selector("text=校验审计链完整性")
    assert page.locator("td", has_text="accounts.login").count() >= 1
    # bootstrap and htmx are served locally, not from a CDN
    assert page.evaluate("typeof htmx") == "object"
    page.goto(f"{base}/api/docs")  # the API documentation (Swagger UI, served locally) under the same CSP
    page.wait_for_selector(".swagger-ui .info")
    assert blocked == []
    page.close()
