"""Published lists (issue 15 points 1, 2, 5 staff side): notice and result lists published by the 政务公开管理员 in
scope, masked (no full ID, phone or account on any public page), never a confidential policy's, a new version
with a new digest when the batch changed (old versions still served and verifiable), withdrawn lists visible
as 已撤回, and the printed notice sheet's QR code pointing at the latest published list with its digest."""
import json

import pytest
from django.urls import reverse

from tests.support.scenarios import PHONE, entered_notice_on, notice_window, pay_round
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.disclosure import publish, publish_content
from yikatong.disclosure.models import PublishedList
from yikatong.policies.models import Policy
from yikatong.rosters import notice_print, notices
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.models import Batch, BatchItem
from yikatong.rosters.tests.files import card, good_rows, id_number, to_csv

pytestmark = pytest.mark.django_db


def _import(rw, batch, n=3):
    roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(n)), filename="清册.csv",
                  mode="all_or_nothing")


@pytest.fixture
def noticed(rw, batch):
    """A batch of 3 rows in its notice step with a recorded village notice; a county disclosure admin (gkpub)
    and one of another county (otherpub)."""
    _import(rw, batch)
    Batch.objects.filter(pk=batch.pk).update(state="notice")
    start, _ = notice_window(5)
    entered_notice_on(batch, start)
    notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=start, working_days=5,
                           place="村委会公示栏", phone=PHONE)
    rw.user("gkpub", "czj", Role.DISCLOSURE_ADMIN)
    rw.user("otherpub", "other_czj", Role.DISCLOSURE_ADMIN)
    batch.refresh_from_db()
    return batch


ROW_KEYS = {"seq", "name", "id", "village", "quantity", "standard_fen", "amount_fen"}


def _secrets(n=3):
    return [id_number(i) for i in range(1, n + 1)] + [card(i) for i in range(1, n + 1)]


def _online(batch) -> PublishedList:
    """The notice list the system put online when the notice was registered (publish_auto)."""
    return PublishedList.objects.get(batch=batch, kind="notice", version=1)


def test_publish_notice_masked_digest_and_public_pages(noticed, rw, client):
    pl = _online(noticed)
    assert pl.version == 1 and pl.published_by is None and pl.row_count == 3 and pl.total_fen == 150000
    assert pl.digest == publish_content.digest(pl.content) and len(pl.digest) == 64
    header = pl.content["header"]
    assert header["place"] == "村委会公示栏" and header["supervision_phone"] == PHONE and header["total_fen"] == 150000
    for r in pl.content["rows"]:
        assert set(r) == ROW_KEYS  # no account, no phone
        visible = r["id"].replace("*", "")
        assert len(visible) <= 10 and r["id"].startswith("1410") and "*" in r["id"]
    event = AuditEvent.objects.get(action="disclosure.list.publish", object_id=str(pl.pk))
    assert event.actor is None and event.actor_name == "系统" and event.after["auto"] == "登记公示时自动公开"
    dumped = json.dumps(pl.content, ensure_ascii=False)
    region_page = client.get(reverse("public_list_region", args=[noticed.region.code[:9]])).content.decode()
    assert pl.title in region_page
    page = client.get(reverse("public_list_detail", args=[pl.public_id]) + "?json=1").content.decode()
    assert pl.digest in page and "内容与校验码一致" in page and "对象1" in page
    for text in (dumped, region_page, page):
        assert not any(s in text for s in _secrets())  # no full ID, no account number
    # search by name within a village
    found = client.get(reverse("public_list_detail", args=[pl.public_id]), {"village": "第一村委会", "q": "对象2"})
    body = found.content.decode()
    assert "对象2" in body and "对象1</td>" not in body


def test_version_on_change_old_version_still_served_and_verifiable(noticed, rw, client):
    admin = rw.users["gkpub"]
    v1 = _online(noticed)
    with pytest.raises(Exception) as exc:
        publish.list_publish(actor=admin, batch_id=noticed.pk, kind="notice")
    assert exc.value.code == "LIST_UNCHANGED"
    BatchItem.objects.filter(batch=noticed, seq=1).update(amount_fen=40000)
    v2 = publish.list_publish(actor=admin, batch_id=noticed.pk, kind="notice")
    assert v2.version == 2 and v2.digest != v1.digest and v2.public_id != v1.public_id
    v1.refresh_from_db()
    assert v1.digest == publish_content.digest(v1.content) and v1.content["rows"][0]["amount_fen"] == 50000
    page = client.get(reverse("public_list_detail", args=[v1.public_id])).content.decode()
    assert v1.digest in page and "内容与校验码一致" in page and "第2版" in page  # links to the other version
    # the printed sheet's QR code points at the latest published list and shows its digest
    assert notice_print.public_url(noticed).endswith(reverse("public_list_detail", args=[v2.public_id]))
    client.force_login(rw.users["zhan"])
    sheet = client.get(reverse("batch_print", args=[noticed.pk, "notice"])).content.decode()
    assert v2.digest in sheet


def test_withdraw_keeps_it_visible_with_reason(noticed, rw, client):
    pl = _online(noticed)
    with pytest.raises(Exception) as exc:
        publish.list_withdraw(actor=rw.users["gkpub"], list_id=pl.pk, reason=" ")
    assert exc.value.code == "LIST_WITHDRAW_REASON"
    with pytest.raises(Exception) as exc:
        publish.list_withdraw(actor=rw.users["otherpub"], list_id=pl.pk, reason="错误")
    assert exc.value.code == "LIST_NOT_FOUND" and exc.value.http_status == 404
    pl = publish.list_withdraw(actor=rw.users["gkpub"], list_id=pl.pk, reason="名单有误，重新公示")
    assert pl.state == "withdrawn" and pl.withdraw_reason == "名单有误，重新公示" and pl.withdrawn_by == rw.users["gkpub"]
    assert AuditEvent.objects.filter(action="disclosure.list.withdraw", object_id=str(pl.pk)).exists()
    page = client.get(reverse("public_list_detail", args=[pl.public_id])).content.decode()
    assert "已撤回" in page and "名单有误，重新公示" in page
    # a withdrawn list is no QR target: the sheet falls back to the batch's keyed path
    assert notice_print.public_url(noticed).endswith(notice_print.PUBLIC_PATH.format(
        public_id=notice_print.public_id(noticed)))
    # the same content may be published again after a withdrawal, as a new version
    assert publish.list_publish(actor=rw.users["gkpub"], batch_id=noticed.pk, kind="notice").version == 2


def test_refusals_by_code(noticed, rw, client):
    with pytest.raises(Exception) as exc:
        publish.list_publish(actor=rw.users["zhan"], batch_id=noticed.pk, kind="notice")
    assert exc.value.code == "LIST_ROLE_NOT_ALLOWED"
    with pytest.raises(Exception) as exc:
        publish.list_publish(actor=rw.users["otherpub"], batch_id=noticed.pk, kind="notice")
    assert exc.value.code == "LIST_NOT_FOUND"
    with pytest.raises(Exception) as exc:
        publish.list_publish(actor=rw.users["gkpub"], batch_id=noticed.pk, kind="bogus")
    assert exc.value.code == "LIST_KIND_INVALID"
    with pytest.raises(Exception) as exc:
        publish.list_publish(actor=rw.users["gkpub"], batch_id=noticed.pk, kind="result")
    assert exc.value.code == "LIST_NOT_ANSWERED"
    noticed.notices.all().delete()
    with pytest.raises(Exception) as exc:
        publish.list_publish(actor=rw.users["gkpub"], batch_id=noticed.pk, kind="notice")
    assert exc.value.code == "LIST_NO_NOTICE"


def test_confidential_never_public(noticed, rw, client):
    pl = _online(noticed)
    Policy.objects.filter(pk=noticed.policy_id).update(confidential=True)
    with pytest.raises(Exception) as exc:
        publish.list_publish(actor=rw.users["gkpub"], batch_id=noticed.pk, kind="notice")
    assert exc.value.code == "LIST_POLICY_CONFIDENTIAL"
    # a policy made confidential after publishing: its lists leave the public pages and the QR target
    assert client.get(reverse("public_list_detail", args=[pl.public_id])).status_code == 404
    region_page = client.get(reverse("public_list_region", args=[noticed.region.code[:9]])).content.decode()
    assert pl.title not in region_page
    noticed.refresh_from_db()
    assert notice_print.published_digest(Batch.objects.get(pk=noticed.pk)) == ""


def test_staff_page_and_api(noticed, rw, client):
    client.force_login(rw.users["gkpub"])
    page = client.get(reverse("disclosure_lists"))
    assert page.status_code == 200 and noticed.code in page.content.decode()
    pl = _online(noticed)
    BatchItem.objects.filter(batch=noticed, seq=1).update(amount_fen=40000)
    client.post(reverse("disclosure_list_publish", args=[noticed.pk]), {"kind": "notice"})
    assert PublishedList.objects.get(batch=noticed, version=2).published_by == rw.users["gkpub"]
    client.post(reverse("disclosure_list_withdraw", args=[pl.pk]), {"reason": "重新核对"})
    pl.refresh_from_db()
    assert pl.state == "withdrawn"
    client.force_login(rw.users["zhan"])
    assert client.get(reverse("disclosure_lists")).status_code == 403


def test_result_list_after_bank_answer(pw, approved, client):
    pw.user("gkpub", "czj", Role.DISCLOSURE_ADMIN)
    pay_round(approved, pw)
    pl = publish.list_publish(actor=pw.users["gkpub"], batch_id=approved.pk, kind="result")
    assert pl.kind == "result" and pl.row_count == approved.item_count
    assert {r["status"] for r in pl.content["rows"]} <= {"已发放", "发放失败，待补发"}
    page = client.get(reverse("public_list_detail", args=[pl.public_id])).content.decode()
    assert "发放结果公示" in page and pl.digest in page
    dumped = json.dumps(pl.content, ensure_ascii=False)
    assert all(set(r) == ROW_KEYS | {"paid_on", "status"} for r in pl.content["rows"])  # no account, no phone
    assert pl.content["rows"][0]["village"] == "第一村委会"
    assert not any(s in dumped or s in page for s in _secrets())


def test_hooks_filled_and_sheet_falls_back_without_provider(monkeypatch, batch):
    from yikatong.disclosure.publish_hooks import published_list
    from yikatong.payments.notice import result_lines
    from yikatong.rosters import hooks

    assert hooks._providers["published_list"] is published_list and hooks._providers["result_lines"] is result_lines
    monkeypatch.setattr(hooks, "_providers", {})
    assert notice_print.public_url(batch).endswith(f"/public/notices/{notice_print.public_id(batch)}/")
    assert notice_print.published_digest(batch) == "" and hooks.result_lines(batch) is None


def test_a_version_is_never_rewritten(noticed, rw):
    pl = _online(noticed)
    pl.content = {"header": {}, "rows": []}
    with pytest.raises(ValueError):
        pl.save()
