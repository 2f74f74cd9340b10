"""OutboxConnector: atomic, never-overwriting delivery; collect takes answers and moves them to processed/."""
import errno
import os
from unittest import mock

import pytest

from tests.support.env import bank_boxes
from yikatong.payments.exchange import connector as conn
from yikatong.payments.exchange.connector import DeliveryError

P = "YKT1_ABC01_141024-2026-000001_P.txt"
R = "YKT1_ABC01_141024-2026-000001_R.txt"
X = "YKT1_ABC01_141024-2026-000002_X.txt"


@pytest.fixture
def boxes(tmp_path, settings):
    return bank_boxes(settings, tmp_path)


def test_defaults_come_from_settings(boxes, settings):
    assert boxes.outbox == settings.YKT_BANK_OUTBOX and boxes.inbox == settings.YKT_BANK_INBOX


def test_deliver_writes_the_bytes_under_the_final_name_only(boxes):
    boxes.deliver(P, b"H|...\r\n")
    assert sorted(os.listdir(boxes.outbox)) == [P]
    assert (boxes.outbox / P).read_bytes() == b"H|...\r\n"


def test_deliver_is_atomic_a_failed_write_leaves_nothing(boxes):
    boxes.outbox.mkdir(parents=True)
    with mock.patch.object(conn.os, "link", side_effect=OSError("disk full")), pytest.raises(OSError):
        boxes.deliver(P, b"data")
    assert os.listdir(boxes.outbox) == []  # neither the file nor its temporary


def test_deliver_never_overwrites(boxes):
    boxes.deliver(P, b"first")
    with pytest.raises(DeliveryError, match="不得重复发送"):
        boxes.deliver(P, b"second")
    assert (boxes.outbox / P).read_bytes() == b"first"
    assert sorted(os.listdir(boxes.outbox)) == [P]


@pytest.mark.parametrize("name", [R, "../" + P, "report.txt", "YKT1_A_B_P.txt"])
def test_deliver_only_takes_payment_file_names(boxes, name):
    with pytest.raises(DeliveryError):
        boxes.deliver(name, b"x")


def test_collect_returns_answers_and_takes_them_out(boxes):
    boxes.inbox.mkdir(parents=True)
    (boxes.inbox / R).write_bytes(b"result")
    (boxes.inbox / X).write_bytes(b"reject")
    (boxes.inbox / f".{R}.abc.tmp").write_bytes(b"partial")  # a file still being written
    (boxes.inbox / "notes.txt").write_bytes(b"stray")
    assert boxes.collect() == [(R, b"result"), (X, b"reject")]
    # no plaintext archive: the sealed copy in BankFile is the one kept (payments.ingest)
    assert sorted(os.listdir(boxes.inbox)) == sorted([f".{R}.abc.tmp", "notes.txt"])
    assert boxes.collect() == []


def test_archive_leaves_a_different_file_of_the_same_name(boxes):
    boxes.inbox.mkdir(parents=True)
    (boxes.inbox / R).write_bytes(b"two")  # the bank replaced the file after it was read as b"one"
    boxes.archive(R, b"one")
    assert boxes.answers() == [R] and boxes.read(R) == b"two"


def test_a_file_moved_aside_by_a_killed_archive_is_put_back(boxes):
    boxes.inbox.mkdir(parents=True)
    (boxes.inbox / f".{R}.0123456789ab.taking").write_bytes(b"result")
    assert boxes.answers() == [R] and boxes.read(R) == b"result"
    assert os.listdir(boxes.inbox) == [R]


def test_collect_with_no_inbox_is_empty(boxes):
    assert boxes.collect() == []


def test_deliver_works_where_hard_links_are_not_supported(boxes):
    with mock.patch.object(conn.os, "link", side_effect=OSError(errno.EPERM, "no hard links")):
        boxes.deliver(P, b"first")
        with pytest.raises(DeliveryError):
            boxes.deliver(P, b"second")
    assert sorted(os.listdir(boxes.outbox)) == [P] and (boxes.outbox / P).read_bytes() == b"first"


def test_delivering_the_same_bytes_again_is_a_no_op_wherever_the_bank_moved_it(boxes):
    boxes.deliver(P, b"file")
    boxes.deliver(P, b"file")  # a send retried after a crash between delivery and commit
    assert sorted(os.listdir(boxes.outbox)) == [P]
    (boxes.outbox / "processed").mkdir()
    os.replace(boxes.outbox / P, boxes.outbox / "processed" / P)  # the bank took it
    boxes.deliver(P, b"file")
    assert sorted(os.listdir(boxes.outbox)) == ["processed"]  # not put there a second time
    with pytest.raises(DeliveryError):
        boxes.deliver(P, b"other bytes")


def test_answers_are_archived_only_when_told_and_privately(boxes):
    boxes.inbox.mkdir(parents=True)
    (boxes.inbox / R).write_bytes(b"result")
    (boxes.inbox / f".{R}.abc.tmp").write_bytes(b"partial")
    assert boxes.answers() == [R]
    assert boxes.read(R) == b"result"
    assert boxes.answers() == [R]  # reading takes nothing away
    boxes.archive(R, b"result")
    assert boxes.answers() == [] and os.listdir(boxes.inbox) == [f".{R}.abc.tmp"]  # nothing plaintext kept
    boxes.archive(R, b"result")  # archived meanwhile by another collector: not an error


def test_files_written_to_the_drop_box_are_private(boxes):
    boxes.deliver(P, b"file")
    assert (boxes.outbox / P).stat().st_mode & 0o777 == 0o600
    assert boxes.outbox.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("name", ["../" + R, "." + R])
def test_read_refuses_names_outside_the_inbox(boxes, name):
    with pytest.raises(ValueError):
        boxes.read(name)
