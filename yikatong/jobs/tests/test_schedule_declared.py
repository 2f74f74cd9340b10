"""The schedule as declared (settings.YKT_SCHEDULES) runs end to end: every entry's slot, fired on a
county with a batch, ends done or skipped (nothing to do), never failed."""
import datetime
from zoneinfo import ZoneInfo

from yikatong.jobs import services
from yikatong.jobs.models import RunState, ScheduleRun
from yikatong.jobs.schedule import declared

SLOT = datetime.datetime(2026, 12, 3, 2, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_every_declared_slot_runs_or_is_skipped(pw, batch, django_capture_on_commit_callbacks):
    for name in declared():
        with django_capture_on_commit_callbacks(execute=True):
            services.schedule_slot_fire(name, SLOT)
    runs = {r.name: r for r in ScheduleRun.objects.all()}
    assert set(runs) == set(declared())
    assert {n: r.state for n, r in runs.items()} == {
        "checks_sweep": RunState.DONE, "deadline_scan": RunState.DONE,
        "sms_deliver": RunState.SKIPPED, "bank_inbox_collect": RunState.SKIPPED,
        "account_changes_apply": RunState.SKIPPED, "upward_export": RunState.SKIPPED,
        "complaints_escalate": RunState.SKIPPED,
        "results_publish": RunState.SKIPPED, "quarterly_inspections": RunState.SKIPPED}, {n: r.message for n, r in runs.items()}
    assert runs["checks_sweep"].message.startswith("全量比对完成")
    assert "待办" in runs["deadline_scan"].message


def test_the_bank_slot_collects_the_answer_and_the_sms_slot_sends_the_notices(pw, batch,
                                                                              django_capture_on_commit_callbacks):
    from tests.support.scenarios import answered_order
    from yikatong.payments.models import OrderState, PaymentOrder, SmsNotice, SmsState

    order, answer = answered_order(batch, pw)
    pw.connector.inbox.mkdir(parents=True, exist_ok=True)
    (pw.connector.inbox / answer.filename).write_bytes(answer.data)  # the bank drops its answer
    junk = answer.filename.replace("000001", "000099")
    (pw.connector.inbox / junk).write_bytes(b"H|YKT1R|garbage\r\n")  # and a file nobody can take
    with django_capture_on_commit_callbacks(execute=True):
        bank = services.schedule_slot_fire("bank_inbox_collect", SLOT)
    bank.refresh_from_db()
    assert bank.state == RunState.DONE and "已入账 1 个" in bank.message and "拒收 1 个" in bank.message, bank.message
    assert "141024-2026" not in bank.message  # counts and codes, never a county's batch number
    assert (pw.connector.inbox / junk).exists()
    assert PaymentOrder.objects.get(pk=order.pk).state != OrderState.SENT
    assert not (pw.connector.inbox / answer.filename).exists()
    from yikatong.core.crypto import vault
    from yikatong.payments.models import ItemStatus, PaymentOrderItem

    line = PaymentOrderItem.objects.filter(order=order, status=ItemStatus.PAID).first()
    SmsNotice.objects.create(line=line, phone_enc=vault().encrypt("13800138000"), phone_masked="138****8000",
                             text="到账告知")  # the fixture's roster has no phones: one notice by hand
    with django_capture_on_commit_callbacks(execute=True):
        sms = services.schedule_slot_fire("sms_deliver", SLOT)
    sms.refresh_from_db()
    assert sms.state == RunState.DONE and sms.message.startswith("发送到账短信"), sms.message
    assert not SmsNotice.objects.filter(state=SmsState.QUEUED).exists()
