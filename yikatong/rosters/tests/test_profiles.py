"""One end-to-end walk per local profile, from draft to finance approval, with its own steps."""
import datetime

import pytest

from tests.support.scenarios import PHONE, PNG, do, entered_notice_on, notice_window, record_notices, walk_to_approved
from yikatong.audit.models import AuditEvent
from yikatong.audit.verify import verify_chain
from yikatong.rosters import notices, services
from yikatong.core.profiles import get_profile
from yikatong.rosters.errors import RosterError, TransitionRefused
from yikatong.rosters.guards import notice_end, notice_working_days
from yikatong.rosters.models import BatchEvent, Notice

pytestmark = pytest.mark.django_db

COMMON_TAIL = ["dept_approval", "finance_review", "approved"]


def test_profile_000_xinjiang(batch, rw):
    assert walk_to_approved(batch, rw, "000") == ["draft", "comparing", "compared", "dept_review", "notice", *COMMON_TAIL]


def test_profile_001_chuxiong_verifies_in_the_township_first(batch, rw):
    states = walk_to_approved(batch, rw, "001")
    assert states[:3] == ["draft", "verifying", "draft_verified"] and states[-3:] == COMMON_TAIL


def test_profile_002_haicheng_resubmits_after_the_notice(batch, rw):
    states = walk_to_approved(batch, rw, "002")
    assert states == ["draft", "comparing", "compared", "dept_review", "notice", "notice_done", *COMMON_TAIL]


def test_profile_003_urumqi_requires_reading_at_assembly(batch, rw):
    assert walk_to_approved(batch, rw, "003")[-1] == "approved"


def test_profile_004_hongtong(batch, rw):
    states = walk_to_approved(batch, rw, "004")
    assert states[-1] == "approved"
    b = type(batch).objects.get(pk=batch.pk)
    assert BatchEvent.objects.filter(batch=b).count() >= 9
    assert AuditEvent.objects.filter(action="rosters.finance_approve", object_id=str(b.pk)).count() == 1
    assert verify_chain().ok


def _to_notice(batch, rw, profile="004"):
    from yikatong.rosters.importer.run import roster_import
    from yikatong.rosters.models import Batch

    from .files import good_rows, to_csv

    Batch.objects.filter(pk=batch.pk).update(profile_code=profile)
    u = rw.users
    roster_import(actor=u["zhan"], batch_id=batch.pk, data=to_csv(good_rows(2)), filename="a.csv", mode="all_or_nothing")
    for user, action in [("zhan", "send_compare"), ("czs", "compare_pass"), ("zhan", "submit"), ("mz_rev", "approve_notice")]:
        do(batch, u[user], action)


def test_notice_shorter_than_the_profile_minimum_is_refused(batch, rw):
    _to_notice(batch, rw, "004")  # 5 working days
    start, _ = notice_window(5)
    entered_notice_on(batch, start)
    with pytest.raises(RosterError) as exc:
        notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=start, working_days=4,
                               place="公示栏", phone=PHONE)
    assert exc.value.code == "NOTICE_TOO_SHORT"
    # a notice row shortened behind the service's back is refused again at the transition
    notice = record_notices(batch, rw.users["zhan"], get_profile("004"))[0]
    Notice.objects.filter(pk=notice.pk).update(end=notice.end - datetime.timedelta(days=1))
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["zhan"], "finish_notice")
    assert exc.value.code == "NOTICE_TOO_SHORT"


def test_notice_not_yet_over_is_refused(batch, rw):
    from django.utils import timezone

    _to_notice(batch, rw, "004")
    proof = services.attachment_add(actor=rw.users["zhan"], batch_id=batch.pk, kind="notice_photo", filename="p.png", data=PNG)
    today = timezone.localdate()
    notice = notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=today,
                                    place="公示栏", phone=PHONE, proof_id=proof.pk)
    assert notice.working_days == 5 and notice.end > today  # the end is computed, not typed
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["zhan"], "finish_notice")
    assert exc.value.code == "NOTICE_NOT_OVER"


def test_a_backdated_notice_is_refused(batch, rw):
    """Issue 12 regression: a notice could be backdated so that "≥ N working days" was met on paper
    on the day it started. Its start may not be before the day the batch entered the notice step."""
    from django.utils import timezone

    _to_notice(batch, rw, "004")
    today = timezone.localdate()
    start, _ = notice_window(5)  # a 5-working-day notice that "ended yesterday"
    with pytest.raises(RosterError) as exc:
        notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=start,
                               place="公示栏", phone=PHONE)
    assert exc.value.code == "NOTICE_BACKDATED"
    assert not Notice.objects.filter(batch=batch).exists()
    with pytest.raises(TransitionRefused) as exc:  # and the step cannot be finished today
        do(batch, rw.users["zhan"], "finish_notice")
    assert exc.value.code == "NOTICE_NOT_RECORDED"
    notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=today, place="公示栏",
                           phone=PHONE)  # starting today is accepted


def test_a_notice_row_backdated_around_the_service_is_refused_at_the_transition(batch, rw):
    _to_notice(batch, rw, "004")
    notice = record_notices(batch, rw.users["zhan"], get_profile("004"))[0]
    Notice.objects.filter(pk=notice.pk).update(start=notice.start - datetime.timedelta(days=7))
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["zhan"], "finish_notice")
    assert exc.value.code == "NOTICE_BACKDATED"


def test_notice_needs_a_supervision_phone(batch, rw):
    from django.utils import timezone

    _to_notice(batch, rw, "004")
    for phone, code in [("", "NOTICE_PHONE_REQUIRED"), ("  ", "NOTICE_PHONE_REQUIRED"), ("abc", "NOTICE_PHONE_INVALID")]:
        with pytest.raises(RosterError) as exc:
            notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="village",
                                   start=timezone.localdate(), place="公示栏", phone=phone)
        assert exc.value.code == code
    notice = record_notices(batch, rw.users["zhan"], get_profile("004"))[0]
    Notice.objects.filter(pk=notice.pk).update(phone="")  # a legacy row without a phone does not pass either
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["zhan"], "finish_notice")
    assert exc.value.code == "NOTICE_PHONE_REQUIRED"


def test_profile_000_needs_both_the_village_and_the_township_notice(batch, rw):
    _to_notice(batch, rw, "000")
    profile = get_profile("000")
    assert profile.notice_levels == ("village", "township")
    start, _ = notice_window(5)
    entered_notice_on(batch, start)
    proof = services.attachment_add(actor=rw.users["zhan"], batch_id=batch.pk, kind="notice_photo", filename="p.png", data=PNG)
    notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=start, place="村公示栏",
                           phone=PHONE, proof_id=proof.pk)
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["zhan"], "finish_notice")
    assert exc.value.code == "NOTICE_LEVEL_MISSING"
    with pytest.raises(RosterError) as exc:  # one notice per level and round
        notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=start, place="村公示栏",
                               phone=PHONE, proof_id=proof.pk)
    assert exc.value.code == "NOTICE_LEVEL_RECORDED"
    notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="township", start=start, place="乡镇公示栏",
                           phone=PHONE, proof_id=proof.pk)
    assert do(batch, rw.users["zhan"], "finish_notice").state == "dept_approval"


def test_the_end_date_is_computed_by_the_working_day_calendar(batch, rw):
    from yikatong.core.models import Holiday

    _to_notice(batch, rw, "004")
    start, _ = notice_window(5)
    entered_notice_on(batch, start)
    Holiday.objects.create(date=start + datetime.timedelta(days=1), is_workday=False, name="测试假日")
    notice = notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=start,
                                    place="公示栏", phone=PHONE)
    assert notice.working_days == 5 and notice_working_days(notice.start, notice.end) == 5
    assert notice.end == notice_end(start, 5)
    assert (notice.end - start).days >= 5  # the holiday pushed the end back


def test_open_objection_blocks_the_end_of_notice_and_the_approval(batch, rw):
    _to_notice(batch, rw, "004")
    record_notices(batch, rw.users["zhan"], get_profile("004"))
    obj = notices.objection_record(actor=rw.users["zhan"], batch_id=batch.pk, raised_by="村民甲", content="对象2已外出务工多年")
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["zhan"], "finish_notice")
    assert exc.value.code == "OBJECTIONS_OPEN" and "1 条公示异议未处理" in exc.value.message
    notices.objection_resolve(actor=rw.users["zhan"], objection_id=obj.pk, resolution="经入户核实，户籍在本村，符合条件")
    assert do(batch, rw.users["zhan"], "finish_notice").state == "dept_approval"
    # an objection arriving after the notice still blocks the department's approval until handled
    late = notices.objection_record(actor=rw.users["zhan"], batch_id=batch.pk, raised_by="村民乙", content="对象1有财政供养人员")
    services.attachment_add(actor=rw.users["mz_head"], batch_id=batch.pk, kind="summary", filename="汇总表.png", data=PNG)
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["mz_head"], "dept_approve")
    assert exc.value.code == "OBJECTIONS_OPEN"
    notices.objection_resolve(actor=rw.users["mz_head"], objection_id=late.pk, resolution="经核实不属实")
    assert do(batch, rw.users["mz_head"], "dept_approve").state == "finance_review"


def test_return_needs_a_reason_and_goes_back_to_draft(batch, rw):
    _to_notice(batch, rw, "004")
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["mz_rev"], "return")
    assert exc.value.code == "REASON_REQUIRED"
    b = do(batch, rw.users["mz_rev"], "return", reason="第2条对象已死亡")
    assert b.state == "draft"
    assert BatchEvent.objects.filter(batch=b, action="return", reason="第2条对象已死亡").exists()


def test_wrong_role_and_wrong_department_are_refused_and_change_nothing(batch, rw):
    _to_notice(batch, rw, "004")
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["fin"], "finish_notice")
    assert exc.value.code == "ROLE_NOT_ALLOWED"
    batch.refresh_from_db()
    assert batch.state == "notice" and AuditEvent.objects.count() == before


def test_other_department_cannot_review(batch, rw):
    from yikatong.rosters.models import Batch

    Batch.objects.filter(pk=batch.pk).update(state="dept_review")
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["ny_rev"], "approve_notice")
    assert exc.value.code == "NOT_OWNING_DEPARTMENT"


def test_finance_approval_checks_the_quota(batch, rw):
    from yikatong.funds.models import FundQuota
    from yikatong.rosters.models import Batch

    from tests.support.scenarios import walk_to_approved

    FundQuota.objects.all().update(county_fen=1000, received_fen=1000)
    with pytest.raises(TransitionRefused) as exc:
        walk_to_approved(batch, rw, "004")
    assert exc.value.code == "QUOTA_INSUFFICIENT" and "可用 10.00 元" in exc.value.message
    assert Batch.objects.get(pk=batch.pk).state == "finance_review"


def test_sending_a_roster_for_comparison_runs_the_cross_checks(batch, rw, django_capture_on_commit_callbacks):
    from yikatong.checks.models import RuleRun
    from yikatong.rosters.importer.run import roster_import

    from .files import good_rows, to_csv

    roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(2)), filename="a.csv", mode="all_or_nothing")
    assert not RuleRun.objects.filter(batch=batch).exists()
    with django_capture_on_commit_callbacks(execute=True):
        do(batch, rw.users["zhan"], "send_compare")
    run = RuleRun.objects.get(batch=batch)
    assert run.finished_at is not None
