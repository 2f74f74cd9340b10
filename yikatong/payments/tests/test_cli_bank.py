"""`yikatong bank send|collect` (payments/management/commands/bank.py)."""
import io
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.support.scenarios import walk_to_approved
from yikatong.audit.models import AuditEvent
from yikatong.payments import services
from yikatong.payments.exchange.connector import atomic_write
from yikatong.payments.models import BankFile, OrderState, PaymentOrder

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("bank", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def released(pw, batch):
    walk_to_approved(batch, pw, "000")
    order = services.order_create(actor=pw.users["fin"], batch_id=batch.pk)
    return services.order_release(actor=pw.users["gk"], order_id=order.pk)


def test_send_writes_and_delivers_the_file_as_the_treasury_user(pw, released):
    out, _ = run("send", str(released.pk), "--as", "gk")
    order = PaymentOrder.objects.get(pk=released.pk)
    assert order.state == OrderState.SENT and order.payment_file.filename in out
    assert (pw.connector.outbox / order.payment_file.filename).exists()
    assert AuditEvent.objects.filter(actor=pw.users["gk"], action__endswith="send").exists()


def test_send_by_a_role_that_may_not_is_refused_with_the_code(pw, released):
    with pytest.raises(CommandError, match=r"\[[A-Z_]+\]") as exc:
        run("send", str(released.pk), "--as", "fin")
    assert exc.value.returncode != 0
    assert PaymentOrder.objects.get(pk=released.pk).state == OrderState.RELEASED


def test_send_of_an_unknown_order_and_by_an_unknown_user(pw, released):
    with pytest.raises(CommandError, match=r"\[ORDER_NOT_FOUND\]"):
        run("send", "999999", "--as", "gk")
    with pytest.raises(CommandError, match=r"\[CLI_ACTOR_UNKNOWN\]"):
        run("send", str(released.pk), "--as", "nobody")


def test_collect_without_as_runs_as_the_system(pw, released, django_capture_on_commit_callbacks):
    from yikatong.banksim.options import SimOptions
    from yikatong.banksim.services import payment_file_process

    order = services.order_send(actor=pw.users["gk"], order_id=released.pk)
    data = (pw.connector.outbox / order.payment_file.filename).read_bytes()
    answer = payment_file_process(actor=None, filename=order.payment_file.filename, data=data, options=SimOptions())
    atomic_write(pw.connector.inbox, answer.filename, answer.data)
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run("collect")
    assert f"{answer.filename}：已导入" in out
    assert PaymentOrder.objects.get(pk=order.pk).state == OrderState.ANSWERED
    assert BankFile.objects.filter(filename=answer.filename).exists()
    assert [p for p in os.listdir(pw.connector.inbox) if p != "processed"] == []


def test_collect_with_a_refused_file_exits_with_its_code(pw, released):
    atomic_write(pw.connector.inbox, "YKT1_B1_141024-2026-999999_R.txt", b"an answer to no order")
    with pytest.raises(CommandError, match=r"\[INGEST_UNKNOWN_BATCH\]"):
        run("collect", "--as", "gk")
