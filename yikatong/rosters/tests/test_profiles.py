"""One end-to-end walk per local profile, from draft to finance approval, with its own steps."""
import datetime

import pytest

from yikatong.audit.models import AuditEvent
from yikatong.audit.verify import verify_chain
from yikatong.rosters import services
from yikatong.rosters.errors import TransitionRefused
from yikatong.rosters.models import BatchEvent

from .flow_helpers import PNG, do, notice_window, walk_to_approved

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
    from yikatong.rosters.importer.run import import_roster
    from yikatong.rosters.models import Batch

    from .files import good_rows, to_csv

    Batch.objects.filter(pk=batch.pk).update(profile_code=profile)
    u = rw.users
    import_roster(actor=u["zhan"], batch_id=batch.pk, data=to_csv(good_rows(2)), filename="a.csv", mode="all_or_nothing")
    for user, action in [("zhan", "send_compare"), ("czs", "compare_pass"), ("zhan", "submit"), ("mz_rev", "approve_notice")]:
        do(batch, u[user], action)


def test_notice_shorter_than_the_profile_minimum_is_refused(batch, rw):
    _to_notice(batch, rw, "004")  # 5 working days
    start, end = notice_window(4)
    proof = services.add_attachment(actor=rw.users["zhan"], batch_id=batch.pk, kind="notice_photo", filename="p.png", data=PNG)
    services.record_notice(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=start, end=end, place="公示栏",
                           proof_id=proof.pk)
    with pytest.raises(TransitionRefused, match="公示时间 4 个工作日，少于规定的 5 个工作日"):
        do(batch, rw.users["zhan"], "finish_notice")


def test_notice_not_yet_over_is_refused(batch, rw):
    from django.utils import timezone

    _to_notice(batch, rw, "000")
    proof = services.add_attachment(actor=rw.users["zhan"], batch_id=batch.pk, kind="notice_photo", filename="p.png", data=PNG)
    today = timezone.localdate()
    services.record_notice(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=today - datetime.timedelta(days=10),
                           end=today + datetime.timedelta(days=3), place="公示栏", proof_id=proof.pk)
    with pytest.raises(TransitionRefused, match="期满后方可确认"):
        do(batch, rw.users["zhan"], "finish_notice")


def test_open_objection_blocks_the_end_of_notice(batch, rw):
    _to_notice(batch, rw, "004")
    start, end = notice_window(5)
    proof = services.add_attachment(actor=rw.users["zhan"], batch_id=batch.pk, kind="notice_photo", filename="p.png", data=PNG)
    services.record_notice(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=start, end=end, place="公示栏",
                           proof_id=proof.pk)
    obj = services.record_objection(actor=rw.users["zhan"], batch_id=batch.pk, raised_by="村民甲", content="对象2已外出务工多年")
    with pytest.raises(TransitionRefused, match="1 条公示异议未处理"):
        do(batch, rw.users["zhan"], "finish_notice")
    services.resolve_objection(actor=rw.users["zhan"], objection_id=obj.pk, resolution="经入户核实，户籍在本村，符合条件")
    assert do(batch, rw.users["zhan"], "finish_notice").state == "dept_approval"


def test_return_needs_a_reason_and_goes_back_to_draft(batch, rw):
    _to_notice(batch, rw, "004")
    with pytest.raises(TransitionRefused, match="退回必须填写理由"):
        do(batch, rw.users["mz_rev"], "return")
    b = do(batch, rw.users["mz_rev"], "return", reason="第2条对象已死亡")
    assert b.state == "draft"
    assert BatchEvent.objects.filter(batch=b, action="return", reason="第2条对象已死亡").exists()


def test_wrong_role_and_wrong_department_are_refused_and_change_nothing(batch, rw):
    _to_notice(batch, rw, "004")
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused, match="角色"):
        do(batch, rw.users["fin"], "finish_notice")
    batch.refresh_from_db()
    assert batch.state == "notice" and AuditEvent.objects.count() == before


def test_other_department_cannot_review(batch, rw):
    from yikatong.rosters.models import Batch

    Batch.objects.filter(pk=batch.pk).update(state="dept_review")
    with pytest.raises(TransitionRefused, match="由洪洞县民政局审核"):
        do(batch, rw.users["ny_rev"], "approve_notice")


def test_finance_approval_checks_the_quota(batch, rw):
    from yikatong.funds.models import FundQuota
    from yikatong.rosters.models import Batch

    from .flow_helpers import walk_to_approved

    FundQuota.objects.all().update(county_fen=1000, received_fen=1000)
    with pytest.raises(TransitionRefused, match="资金指标余额不足"):
        walk_to_approved(batch, rw, "004")
    assert Batch.objects.get(pk=batch.pk).state == "finance_review"


def test_sending_a_roster_for_comparison_runs_the_cross_checks(batch, rw, django_capture_on_commit_callbacks):
    from yikatong.checks.models import RuleRun
    from yikatong.rosters.importer.run import import_roster

    from .files import good_rows, to_csv

    import_roster(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(2)), filename="a.csv", mode="all_or_nothing")
    assert not RuleRun.objects.filter(batch=batch).exists()
    with django_capture_on_commit_callbacks(execute=True):
        do(batch, rw.users["zhan"], "send_compare")
    run = RuleRun.objects.get(batch=batch)
    assert run.finished_at is not None
