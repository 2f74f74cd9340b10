"""Through HTTP: the batch pages, import upload with job progress, transitions and the matrix."""
import pytest
from django.urls import reverse

from tests.support.env import login
from yikatong.rosters.models import Batch

from .files import good_rows, to_csv

pytestmark = pytest.mark.django_db


def test_operator_imports_through_the_page_and_sees_the_result(client, batch, rw, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, rw.users["zhan"])
    page = client.get(reverse("batch_detail", args=[batch.pk])).content.decode()
    assert "导入清册" in page and "下载导入模板" in page
    with django_capture_on_commit_callbacks(execute=True):  # the import job is queued on commit
        resp = client.post(reverse("batch_import", args=[batch.pk]),
                           {"file": SimpleUploadedFile("清册.csv", to_csv(good_rows(2))), "mode": "all_or_nothing"})
    assert resp.status_code == 302
    result = client.get(resp.url).content.decode()
    assert "已导入 2 行" in result
    detail = client.get(reverse("batch_detail", args=[batch.pk])).content.decode()
    assert "1410**********" in detail and "对象1" in detail
    assert good_rows(1)[0][2] not in detail  # never the full ID on screen


def test_template_and_exports_download(client, batch, rw):
    from yikatong.rosters.importer.run import roster_import

    roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(2)), filename="a.csv", mode="all_or_nothing")
    login(client, rw.users["zhan"])
    for name in ("batch_template", "batch_roster_xlsx", "batch_summary_xlsx"):
        resp = client.get(reverse(name, args=[batch.pk]))
        assert resp.status_code == 200 and resp.content[:2] == b"PK"
    notice = client.get(reverse("batch_print", args=[batch.pk, "notice"])).content.decode()
    assert "对象1" in notice and "1410**********" in notice
    assert good_rows(1)[0][2] not in notice and good_rows(1)[0][5] not in notice  # no full ID, no account
    summary = client.get(reverse("batch_print", args=[batch.pk, "summary"])).content.decode()
    assert "第一村委会" in summary and "1000.00" in summary and "经办人" in summary


@pytest.mark.parametrize("who,allowed", [("anonymous", False), ("fin", False), ("other_fin", False), ("mz_rev", True)])
def test_transition_matrix(client, batch, rw, who, allowed):
    Batch.objects.filter(pk=batch.pk).update(state="dept_review", item_count=1)
    if who != "anonymous":
        login(client, rw.users[who])
    client.post(reverse("batch_transition", args=[batch.pk, "approve_notice"]))
    assert (Batch.objects.get(pk=batch.pk).state == "notice") is allowed


@pytest.mark.parametrize("who,status", [("zhan", 200), ("mz_rev", 200), ("other_fin", 404), ("ny_rev", 404)])
def test_batch_visibility(client, batch, rw, who, status):
    login(client, rw.users[who])
    assert client.get(reverse("batch_detail", args=[batch.pk])).status_code == status


def test_todo_shows_batches_waiting_on_the_user(client, batch, rw):
    login(client, rw.users["zhan"])
    home = client.get(reverse("home")).content.decode()
    assert "草稿（经办站所编制）：城乡居民最低生活保障 2026-11 大槐树镇" in home


def test_todo_offers_to_create_the_missing_batch_of_this_period(client, rw, monkeypatch):
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 11, 24))
    login(client, rw.users["zhan"])
    home = client.get(reverse("home")).content.decode()
    assert "待新建：城乡居民最低生活保障 2026-11 大槐树镇发放清册" in home


def test_profile_page_shows_the_transition_table(client, rw):
    login(client, rw.users["fin"])
    page = client.get(reverse("rosters_profile")).content.decode()
    assert "山西省洪洞县" in page and "程序性复核通过" in page and "quota_sufficient" in page


def test_notice_form_refuses_a_backdated_start_and_computes_the_end(client, batch, rw):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from yikatong.rosters.guards import notice_end
    from yikatong.rosters.models import Attachment, Notice

    from tests.support.scenarios import PHONE, PNG

    Batch.objects.filter(pk=batch.pk).update(state="notice")
    login(client, rw.users["zhan"])
    today = timezone.localdate()
    url = reverse("notice_record", args=[batch.pk])
    form = {"level": "village", "start": (today - datetime.timedelta(days=3)).isoformat(), "place": "村委会公示栏",
            "phone": PHONE, "proof": SimpleUploadedFile("公示.png", PNG, content_type="image/png")}
    page = client.post(url, form, follow=True).content.decode()
    assert 'data-code="NOTICE_BACKDATED"' in page
    assert not Notice.objects.exists() and not Attachment.objects.exists()  # the photo went with the refusal
    form.update(start=today.isoformat(), phone="", proof=SimpleUploadedFile("公示.png", PNG, content_type="image/png"))
    assert 'data-code="NOTICE_FORM_INCOMPLETE"' in client.post(url, form, follow=True).content.decode() and not Notice.objects.exists()
    form.update(phone=PHONE, end="2000-01-01", proof=SimpleUploadedFile("公示.png", PNG, content_type="image/png"))
    page = client.post(url, form, follow=True).content.decode()
    notice = Notice.objects.get()
    assert notice.end == notice_end(today, 5) and notice.working_days == 5 and notice.phone == PHONE
    assert f"监督电话 {PHONE}" in page and notice.proof_id is not None


def test_every_objection_of_the_batch_is_shown_with_its_resolve_form(client, batch, rw):
    from yikatong.core.profiles import get_profile
    from yikatong.rosters import notices

    from tests.support.scenarios import record_notices

    Batch.objects.filter(pk=batch.pk).update(state="notice", profile_code="000")
    record_notices(batch, rw.users["zhan"], get_profile("000"))  # village and township, same start
    obj = notices.objection_record(actor=rw.users["zhan"], batch_id=batch.pk, raised_by="村民甲", content="对象2已外出")
    page = login(client, rw.users["zhan"]).get(reverse("batch_detail", args=[batch.pk])).content.decode()
    assert page.count('data-testid="notice"') == 2
    assert "对象2已外出" in page and reverse("objection_resolve", args=[batch.pk, obj.pk]) in page
