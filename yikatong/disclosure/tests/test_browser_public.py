"""Headless Chromium (issue 15 acceptance), on a phone (390 px) and a desktop (1366 px), without login: read the
notice list of a township online; open the QR target of the printed sheet and see the same list with the digest
printed on the paper; query one's own payments by ID number and name; file a complaint and follow it with its
tracking number and code. No page is wider than a 390 px screen. Screenshots go to the test's tmp_path."""
from urllib.parse import urlparse

import pytest

from tests.support.scenarios import pay_round
from yikatong.core.crypto import vault
from yikatong.disclosure.models import PublishedList
from yikatong.rosters import notice_print
from yikatong.web.tests.test_browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}


def _no_overflow(page, name):
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"{name}: the page is {wide}px wider than the screen"


def _shot(page, tmp_path, shots, name):
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    shots.append(path)


def test_public_half_on_a_phone_and_a_desktop(live_server, pw, approved, tmp_path, regions):
    pay_round(approved, pw)
    notice = PublishedList.objects.get(batch=approved, kind="notice")  # online since its notice was registered
    sheet = notice_print.context(approved)  # what the printed sheet carries: its QR target and digest
    qr_path = urlparse(sheet["public_url"]).path
    item = approved.items.filter(status="active").order_by("seq").first()
    id_number, name = vault().decrypt(item.id_enc), item.name
    village = regions["village1"]
    base, shots = live_server.url, []
    with chromium() as browser:
        for label, viewport in VIEWPORTS.items():
            page = browser.new_page(viewport=viewport)
            phone = label == "phone"

            # 1. the township's lists, then the notice list
            page.goto(f"{base}/public/notices/{approved.region_id[:9]}/")
            page.click(f"[data-testid=public-lists] a:has-text('{notice.title}')")
            page.wait_for_selector("[data-testid=list-rows]")
            assert page.inner_text("[data-testid=list-digest]") == notice.digest
            rows = page.inner_text("[data-testid=list-rows]")
            assert name in rows and id_number not in rows
            assert "监督电话" in page.inner_text("main")
            phone and _no_overflow(page, "notice list")
            _shot(page, tmp_path, shots, f"{label}_notice_list")

            # 2. the QR target of the printed sheet: the same list, the digest printed on the paper
            page.goto(base + qr_path)
            page.wait_for_selector("[data-testid=list-digest]")
            assert page.url.endswith(f"/public/notices/list/{notice.public_id}/")
            assert page.inner_text("[data-testid=list-digest]") == sheet["list_digest"] == notice.digest
            assert page.is_visible("text=内容与校验码一致")

            # 3. self-query: ID number + name -> own payments
            page.goto(f"{base}/public/query/")
            phone and _no_overflow(page, "query form")
            page.fill("#q-id", id_number)
            page.fill("#q-name", name)
            page.click("button[type=submit]")
            page.wait_for_selector("text=补贴发放情况")
            answer = page.inner_text("main")
            assert approved.policy.name in answer and approved.period in answer and "500.00" in answer
            phone and _no_overflow(page, "query answer")
            _shot(page, tmp_path, shots, f"{label}_self_query")

            # 4. file a complaint, then follow it with the number and the code
            page.goto(f"{base}/public/complaints/new/")
            page.select_option("#kind", "complaint")
            page.select_option("#region", village.code)
            page.fill("#text", f"{label}：公示名单上我的金额不对，请核实。")
            page.fill("#contact_name", "李女士")
            page.fill("#phone", "13912345678")
            phone and _no_overflow(page, "complaint form")
            _shot(page, tmp_path, shots, f"{label}_complaint_new")
            page.click("button[type=submit]")
            page.wait_for_selector("[data-testid=complaint-code]")
            number = page.inner_text("[data-testid=complaint-number]").strip()
            code = page.inner_text("[data-testid=complaint-code]").strip()
            phone and _no_overflow(page, "complaint filed")
            _shot(page, tmp_path, shots, f"{label}_complaint_filed")
            page.click("a[href$='/public/complaints/track/']")
            page.fill("#number", number)
            page.fill("#code", code)
            page.click("button[type=submit]")
            page.wait_for_selector("[data-testid=complaint-status]")
            assert "已接收" in page.inner_text("[data-testid=complaint-status]")
            assert number in page.inner_text("main") and "13912345678" not in page.content()
            phone and _no_overflow(page, "complaint tracking")
            _shot(page, tmp_path, shots, f"{label}_complaint_track")
            page.close()
    assert all(p.stat().st_size > 0 for p in shots) and len(shots) == 10
    print("screenshots:", tmp_path)
