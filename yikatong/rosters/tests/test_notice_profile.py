"""Notices per profile (issue 14 point 6): each profile field changes what is required —
notice_before_import (002), post_payment_notice_working_days (001: 5), notice_read_at_assembly (003: date,
place and attendees before approval), notice_four_public (004: policy basis and standard on the notice)."""
import dataclasses
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.support.scenarios import PHONE, entered_notice_on, notice_window
from yikatong.core import calendar
from yikatong.core.profiles import get_profile
from yikatong.rosters import flows, guards, notice_print, notices, services
from yikatong.rosters.errors import RosterError
from yikatong.rosters.models import Batch, BatchEvent

pytestmark = pytest.mark.django_db


def _in_notice(batch, rw, profile_code="000"):
    Batch.objects.filter(pk=batch.pk).update(state="notice", profile_code=profile_code)
    start, _ = notice_window(5)
    entered_notice_on(batch, start)
    batch.refresh_from_db()
    return start


def _notice(batch, rw, start, **extra):
    return notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=start,
                                  working_days=5, place="村委会公示栏", phone=PHONE, **extra)


# ---- notice_before_import ------------------------------------------------------------------------

def test_notice_before_import_guards_the_import_step(batch, rw):
    p002 = get_profile("002")
    assert p002.notice_before_import
    assert "notice_before_import" in flows.find(p002, "notice_done", "resubmit").guards
    BatchEvent.objects.create(batch=batch, action="approve_notice", label="审核通过，组织公示", actor=rw.users["mz_rev"])
    problem = guards.notice_before_import(batch=batch, profile=p002)
    assert problem is not None and problem.code == "NOTICE_BEFORE_IMPORT"
    # the same batch under the same profile with the field off: no change
    assert guards.notice_before_import(batch=batch, profile=dataclasses.replace(p002, notice_before_import=False)) \
        is None
    start = _in_notice(batch, rw, "002")
    BatchEvent.objects.filter(batch=batch).update(at=timezone.now() - datetime.timedelta(minutes=1))
    _notice(batch, rw, start)
    assert guards.notice_before_import(batch=batch, profile=p002) is None


# ---- post_payment_notice_working_days --------------------------------------------------------------

@pytest.mark.parametrize("code,days,refused", [("001", 4, True), ("001", 5, False), ("000", 4, False)])
def test_post_payment_notice_minimum_follows_the_profile(batch, rw, code, days, refused):
    assert get_profile("001").post_payment_notice_working_days == 5
    Batch.objects.filter(pk=batch.pk).update(state="paid", profile_code=code)
    call = dict(actor=rw.users["zhan"], batch_id=batch.pk, start=timezone.localdate(), place="乡镇政务公开栏",
                phone=PHONE, working_days=days)
    if refused:
        with pytest.raises(RosterError) as exc:
            notices.post_payment_notice_record(**call)
        assert exc.value.code == "POST_NOTICE_TOO_SHORT"
    else:
        n = notices.post_payment_notice_record(**call)
        assert n.level == "post_payment" and n.end == calendar.add_working_days(
            timezone.localdate(), days - (1 if calendar.is_workday(timezone.localdate()) else 0))


def test_post_payment_notice_only_after_payment_and_once(batch, rw):
    call = dict(actor=rw.users["zhan"], batch_id=batch.pk, start=timezone.localdate(), place="公开栏", phone=PHONE)
    with pytest.raises(RosterError) as exc:
        notices.post_payment_notice_record(**call)
    assert exc.value.code == "POST_NOTICE_STATE"
    Batch.objects.filter(pk=batch.pk).update(state="partly_failed")
    notices.post_payment_notice_record(**call)
    with pytest.raises(RosterError) as exc:
        notices.post_payment_notice_record(**call)
    assert exc.value.code == "POST_NOTICE_RECORDED"


# ---- notice_read_at_assembly -----------------------------------------------------------------------

def test_assembly_reading_required_before_approval_where_the_profile_says(batch, rw):
    start = _in_notice(batch, rw, "003")
    proof = services.attachment_add(actor=rw.users["zhan"], batch_id=batch.pk, kind="notice_photo",
                                    filename="p.png", data=b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    n = _notice(batch, rw, start, read_at_assembly=True, proof_id=proof.pk)  # ticked, but no record
    problem = guards.notice_recorded(batch=batch, profile=get_profile("003"))
    assert problem is not None and problem.code == "NOTICE_NOT_READ_AT_ASSEMBLY"
    # the same profile with the field off accepts the notice as it is
    assert guards.notice_recorded(batch=batch, profile=dataclasses.replace(get_profile("003"),
                                                                          notice_read_at_assembly=False)) is None
    with pytest.raises(RosterError) as exc:
        notices.notice_assembly_record(actor=rw.users["zhan"], batch_id=batch.pk, notice_id=n.pk,
                                        assembly_on=start, assembly_place="", assembly_attendees=80)
    assert exc.value.code == "NOTICE_ASSEMBLY_INCOMPLETE"
    with pytest.raises(RosterError) as exc:
        notices.notice_assembly_record(actor=rw.users["zhan"], batch_id=batch.pk, notice_id=n.pk,
                                        assembly_on=start - datetime.timedelta(days=1), assembly_place="村委会",
                                        assembly_attendees=80)
    assert exc.value.code == "NOTICE_ASSEMBLY_DATE"
    n = notices.notice_assembly_record(actor=rw.users["zhan"], batch_id=batch.pk, notice_id=n.pk,
                                        assembly_on=start, assembly_place="村委会会议室", assembly_attendees=80)
    assert n.assembly_recorded
    assert guards.notice_recorded(batch=batch, profile=get_profile("003")) is None


def test_assembly_recorded_with_the_notice_through_the_api(client, batch, rw):
    from tests.support.api import bearer

    start = _in_notice(batch, rw, "003")
    resp = client.post(f"/api/rosters/batches/{batch.pk}/notices", {
        "level": "village", "start": start.isoformat(), "place": "村委会公示栏", "phone": PHONE, "working_days": "5",
        "read_at_assembly": "true", "assembly_on": start.isoformat(), "assembly_place": "村委会会议室",
        "assembly_attendees": "86"}, **bearer(rw.users["zhan"]))
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["assembly_on"] == start.isoformat() and body["assembly_attendees"] == 86


# ---- notice_four_public ------------------------------------------------------------------------------

def test_four_public_adds_policy_basis_and_standard(client, batch, rw):
    assert get_profile("004").notice_four_public and not get_profile("000").notice_four_public
    from yikatong.rosters.importer.run import roster_import
    from yikatong.rosters.tests.files import good_rows, to_csv

    roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(1)), filename="清册.csv",
                  mode="all_or_nothing")
    Batch.objects.filter(pk=batch.pk).update(profile_code="000")
    batch.refresh_from_db()
    assert notice_print.four_public(batch) is None
    client.force_login(rw.users["zhan"])
    url = reverse("batch_print", args=[batch.pk, "notice"])
    assert "政策依据" not in client.get(url).content.decode()
    Batch.objects.filter(pk=batch.pk).update(profile_code="004")
    batch.refresh_from_db()
    public = notice_print.four_public(batch)
    assert public["basis"] == ["关于调整城乡低保标准的通知（晋政发〔2025〕1号）"]
    assert "500.00" in public["standard"]
    page = client.get(url).content.decode()
    assert "政策依据" in page and "晋政发〔2025〕1号" in page and "补贴标准" in page
