"""Headless Chromium: an operator imports a roster, fixes an error and submits; the department
approves for notice; the notice is recorded; the department approves; finance approves."""
import threading

import pytest
from django.db import connection

from conftest import PASSWORD
from tests.support.scenarios import PHONE, PNG, entered_notice_on, notice_window
from yikatong.web.tests.test_browser import chromium

from .files import card, good_rows, id_number, to_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _outside_the_event_loop(fn, *args):
    """Playwright's sync API runs an event loop in this thread, where Django refuses database work:
    test-side writes (time travel) run in a thread of their own."""
    def run():
        try:
            fn(*args)
        finally:
            connection.close()

    t = threading.Thread(target=run)
    t.start()
    t.join()


def _login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")


def _logout(page):
    page.click("text=退出")
    page.wait_for_selector("#id_username")


def _act(page, action, reason=None):
    page.click(f"button[data-action={action}]")
    page.wait_for_load_state()


def test_roster_goes_from_import_to_finance_approval_in_a_browser(live_server, batch, rw):
    base, url = live_server.url, f"{live_server.url}/rosters/{batch.pk}/"
    bad = good_rows(3)
    bad[1][2] = "14102419900101001"  # 17 digits: the clerk mistyped
    fixed = good_rows(3)
    start, _ = notice_window(5)
    with chromium() as browser:
        page = browser.new_page()
        _login(page, base, "zhan")
        page.goto(url)
        page.set_input_files("input[name=file]", files=[{"name": "清册.csv", "mimeType": "text/csv", "buffer": to_csv(bad)}])
        page.click("form[action$='/import/'] button")
        page.wait_for_selector("[data-testid=import-message]")
        assert "未导入" in page.inner_text("[data-testid=import-message]")
        assert "第3行 身份证号码“14102419900101001”位数不对" in page.inner_text("[data-testid=problems]")
        page.goto(url)
        page.set_input_files("input[name=file]", files=[{"name": "清册.csv", "mimeType": "text/csv", "buffer": to_csv(fixed)}])
        page.click("form[action$='/import/'] button")
        page.wait_for_selector("[data-testid=import-message]")
        assert "已导入 3 行" in page.inner_text("[data-testid=import-message]")
        page.goto(url)
        _act(page, "send_compare")
        _logout(page)

        _login(page, base, "czs")
        page.goto(url)
        _act(page, "compare_pass")
        _logout(page)

        _login(page, base, "zhan")
        page.goto(url)
        _act(page, "submit")
        _logout(page)

        _login(page, base, "mz_rev")
        page.goto(url)
        _act(page, "approve_notice")
        _logout(page)

        # time travel: the notice step began when the notice did (before the page renders the form's minimum)
        _outside_the_event_loop(entered_notice_on, batch, start)
        _login(page, base, "zhan")
        page.goto(url)
        page.fill("form[action$='/notice/'] input[name=start]", start.isoformat())
        page.fill("form[action$='/notice/'] input[name=place]", "第一村委会公示栏")
        page.fill("form[action$='/notice/'] input[name=phone]", PHONE)
        page.set_input_files("form[action$='/notice/'] input[name=proof]",
                             files=[{"name": "公示.png", "mimeType": "image/png", "buffer": PNG}])
        page.click("form[action$='/notice/'] button")
        page.wait_for_selector("text=公示情况已登记")
        _act(page, "finish_notice")
        _logout(page)

        _login(page, base, "mz_head")
        page.goto(url)
        page.select_option("form[action$='/attachments/'] select[name=kind]", "summary")
        page.set_input_files("form[action$='/attachments/'] input[name=file]",
                             files=[{"name": "汇总表.png", "mimeType": "image/png", "buffer": PNG}])
        page.click("form[action$='/attachments/'] button")
        page.wait_for_selector("text=材料已上传")
        _act(page, "dept_approve")
        _logout(page)

        _login(page, base, "fin")
        page.goto(url)
        _act(page, "finance_approve")
        timeline = page.inner_text("[data-testid=timeline]")
        page.close()
    assert "程序性复核通过" in timeline
    batch.refresh_from_db()
    assert batch.state == "approved" and batch.item_count == 3
    assert id_number(1) and card(1)
