"""Headless Chromium (issue 14 acceptance): a village clerk takes an application, passes it at the
village with its 民主评议, the township operator verifies it, the department approves it; the page
shows the final state."""
import pytest

from yikatong.applications.models import Application
from yikatong.rosters.tests.files import card, id_number
from yikatong.rosters.tests.test_browser_flow import _login, _logout
from yikatong.web.tests.test_browser import chromium

from .support import application_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _act(page, action):
    page.click(f"button[data-action={action}]")
    page.wait_for_load_state()


def test_application_from_the_village_clerk_to_department_approval(live_server, rw, tmp_path):
    application_policy(rw)  # 城乡居民最低生活保障: by application, 民主评议 required
    base = live_server.url
    with chromium() as browser:
        page = browser.new_page()
        _login(page, base, "cun")
        page.click("nav >> text=补贴申请")
        page.click("[data-testid=new-application]")
        page.fill("#id_name", "王秀英")
        page.fill("#id_id_number", id_number(42))
        page.fill("#id_phone", "13812345678")
        page.fill("#id_bank_name", "洪洞农商银行")
        page.fill("#id_account_no", card(42))
        page.click("[data-testid=submit-application]")
        page.wait_for_selector("[data-testid=review-form]")
        assert page.get_attribute("[data-testid=application-state] span", "data-state") == "submitted"
        url = page.url
        page.fill("#id_held_on", "2026-11-02")
        page.fill("#id_attendees", "31")
        page.fill("#id_votes_for", "28")
        page.fill("#id_votes_against", "2")
        page.fill("#id_minutes", "村民代表会议评议，同意推荐上报")
        _act(page, "village_review")
        assert "赞成 28 票" in page.inner_text("[data-testid=review]")
        _logout(page)

        _login(page, base, "zhan")
        page.goto(url)
        _act(page, "township_verify")
        _logout(page)

        _login(page, base, "mz_rev")
        page.goto(url)
        _act(page, "approve")
        state = page.get_attribute("[data-testid=application-state] span", "data-state")
        shown = page.inner_text("[data-testid=application-state]")
        timeline = page.inner_text("[data-testid=timeline]")
        page.screenshot(path=str(tmp_path / "application_approved.png"), full_page=True)
        page.close()
    assert state == "approved" and shown == "已审批"
    assert "主管部门审批通过" in timeline and "乡镇审核核实通过" in timeline and "村审核通过" in timeline
    app = Application.objects.get()
    assert app.state == "approved" and app.review.votes_for == 28 and id_number(42) not in timeline
