"""短信告知: queued for paid lines with a phone, no full numbers, retried through the backend."""
import pytest

from tests.support.scenarios import pay_round, walk_to_approved
from yikatong.banksim.options import SimOptions
from yikatong.core.crypto import vault
from yikatong.jobs.models import Job
from yikatong.payments import services, sms
from yikatong.payments.models import SmsNotice, SmsState

PHONE = "13812345678"


class Flaky(sms.SmsBackend):
    def __init__(self, fail: bool):
        self.fail, self.sent = fail, []

    def send(self, phone, text):
        if self.fail:
            raise ConnectionError("短信网关超时")
        self.sent.append((phone, text))


@pytest.mark.django_db
def test_paid_lines_get_a_notice_without_full_numbers_and_failures_are_retried(
        pw, batch, django_capture_on_commit_callbacks):
    walk_to_approved(batch, pw, "000")
    batch.refresh_from_db()
    items = list(batch.items.order_by("seq"))
    for item in items[:2]:
        type(item).objects.filter(pk=item.pk).update(phone_enc=vault().encrypt(PHONE), phone_masked="138****5678")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order, name, data = pay_round(batch, pw, SimOptions(fail_seq={2: "E04"}))
    assert order.state == "answered" and not SmsNotice.objects.exists()  # queued as a job once the ingest commits
    job = Job.objects.get(key=f"payments:sms:{order.pk}")
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == "done" and job.result == {"queued": 1}
    notice = SmsNotice.objects.get()  # item 1 paid with a phone; item 2 failed; item 3 has no phone
    account = vault().decrypt(items[0].account_enc)
    assert notice.line.item_ref == items[0].item_ref
    assert account[-4:] in notice.text and account not in notice.text and PHONE not in notice.text
    assert "山西省" in notice.text and batch.policy.name in notice.text and "¥500.00" in notice.text
    assert not services.bank_answer_ingest(actor=None, filename=name, data=data).created
    assert SmsNotice.objects.count() == 1
    assert sms.queue_for_order(order) == 0  # the job run twice adds nothing
    assert sms.sms_deliver(sender=Flaky(True)) == (0, 1)
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == (SmsState.FAILED, 1)
    ok = Flaky(False)
    assert sms.sms_deliver(sender=ok) == (1, 0)
    assert ok.sent == [(PHONE, notice.text)]
    assert sms.sms_deliver(sender=ok) == (0, 0)
