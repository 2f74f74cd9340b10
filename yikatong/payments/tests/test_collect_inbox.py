"""Collecting the bank's answers: ingest, then archive — in that order, and only after the ingest
committed — so that a crash in between leaves the file in the inbox and the next collection
takes it exactly once. (The kill -9 versions of these are in yikatong/core/tests/test_faults.py.)"""
import os

import pytest
from django.db import transaction

from yikatong.payments import ingest as ingest_module
from yikatong.payments import services
from yikatong.payments.errors import IngestRefused
from yikatong.payments.exchange.connector import atomic_write
from yikatong.payments.models import BankFile, ItemStatus, OrderState, PaidOrigin, PaymentOrder


@pytest.fixture
def sent(sent, pw):
    """The bank's answer lies in the inbox."""
    atomic_write(pw.connector.inbox, sent[1].filename, sent[1].data)
    return sent


def _inbox(pw):
    return sorted(p for p in os.listdir(pw.connector.inbox) if p != "processed")


@pytest.mark.django_db
def test_collect_ingests_then_archives(pw, sent, collect):
    order, answer = sent
    report = collect()
    assert [(name, outcome.created) for name, outcome in report] == [(answer.filename, True)]
    assert _inbox(pw) == [] and BankFile.objects.get(filename=answer.filename).data() == answer.data
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED and PaidOrigin.objects.count() == order.paid_count == 2


@pytest.mark.django_db
def test_file_stays_in_the_inbox_when_the_ingest_does_not_commit(pw, sent, collect,
                                                                 django_capture_on_commit_callbacks):
    order, answer = sent
    with django_capture_on_commit_callbacks(execute=True) as archived:
        with pytest.raises(RuntimeError), transaction.atomic():  # e.g. the process dies before the commit
            services.bank_inbox_collect(actor=pw.users["gk"], connector=pw.connector)
            raise RuntimeError("crash before commit")
    assert archived == []
    assert _inbox(pw) == [answer.filename]  # not archived: its ingest was rolled back
    assert PaymentOrder.objects.get(pk=order.pk).state == OrderState.SENT
    assert not BankFile.objects.filter(filename=answer.filename).exists()
    collect()
    assert _inbox(pw) == [] and PaymentOrder.objects.get(pk=order.pk).state == OrderState.ANSWERED


@pytest.mark.django_db
def test_file_left_in_the_inbox_after_its_ingest_committed_is_taken_once(pw, sent, collect, monkeypatch):
    order, answer = sent
    monkeypatch.setattr(ingest_module, "_archive", lambda *a: None)  # the archive step never happened
    collect()
    assert _inbox(pw) == [answer.filename]
    monkeypatch.undo()
    paid = list(order.items.order_by("seq").values_list("status", flat=True))
    report = collect()
    assert [(name, outcome.created) for name, outcome in report] == [(answer.filename, False)]  # a replay
    assert _inbox(pw) == [] and BankFile.objects.filter(filename=answer.filename).count() == 1
    assert list(order.items.order_by("seq").values_list("status", flat=True)) == paid
    assert order.items.filter(status=ItemStatus.PAID).count() == PaidOrigin.objects.count() == 2


@pytest.mark.django_db
def test_refused_file_stays_in_the_inbox_and_is_reported_each_time(pw, sent, collect):
    order, answer = sent
    tampered = answer.data.replace(b"|S|", b"|F|", 1)
    os.remove(pw.connector.inbox / answer.filename)
    atomic_write(pw.connector.inbox, answer.filename, tampered)
    for _ in range(2):
        report = collect()
        assert len(report) == 1 and isinstance(report[0][1], IngestRefused)
        assert _inbox(pw) == [answer.filename]
    assert PaymentOrder.objects.get(pk=order.pk).state == OrderState.SENT


@pytest.mark.django_db
def test_other_bytes_under_a_name_taken_before_are_refused_with_a_code(pw, sent, collect):
    order, answer = sent
    collect()
    # the bank drops a different file under the same name later: refused, kept in the inbox
    atomic_write(pw.connector.inbox, answer.filename, answer.data + b"\r\n")
    report = collect()
    assert len(report) == 1 and isinstance(report[0][1], IngestRefused)
    assert report[0][1].code in ("INGEST_FILE_CONFLICT", "INGEST_FILE_INVALID")
    assert _inbox(pw) == [answer.filename]
