import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from yikatong.audit.models import AuditEvent
from yikatong.audit.services import record
from yikatong.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _write(n: int, **extra) -> list[AuditEvent]:
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(record(actor=None, action="test.write", object_type="t", object_id=str(i), after={"i": i}, **extra))
    return events


def _table() -> str:
    return connection.ops.quote_name(AuditEvent._meta.db_table)


def test_chain_links_each_event_to_the_previous():
    events = _write(3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        record(actor=None, action="x")
    assert AuditEvent.objects.count() == 0


def test_personal_data_is_masked_in_before_and_after():
    with transaction.atomic():
        ev = record(
            actor=None, action="t", before={"id_number": "14102419900101123X", "phone": "13812345678"},
            after={"nested": [{"account_no": "6228480012345671234"}], "password": "secret"},
        )
    ev.refresh_from_db()
    assert ev.before == {"id_number": "1410**********123X", "phone": "138****5678"}
    assert ev.after == {"nested": [{"account_no": "6228 **** **** 1234"}], "password": "***"}


def test_direct_edit_breaks_verify_at_that_event():
    _write(5)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {_table()} SET action = %s WHERE seq = 3", ["tampered"])
    result = verify_chain()
    assert not result.ok and result.broken_seq == 3
    with pytest.raises(CommandError, match="第 3 号"):
        call_command("audit", "verify")


def test_direct_delete_in_the_middle_breaks_verify():
    _write(5)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {_table()} WHERE seq = 2")
    result = verify_chain()
    assert not result.ok and result.broken_seq == 2


def test_deleting_the_last_event_is_detected_by_the_head():
    _write(4)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {_table()} WHERE seq = 4")
    result = verify_chain()
    assert not result.ok and "末尾" in result.message


def test_recomputed_hash_after_edit_still_breaks_next_link():
    from yikatong.audit.chain import compute_hash

    events = _write(3)
    ev = AuditEvent.objects.get(seq=2)
    ev.after = {"i": 999}
    ev.hash = compute_hash(ev)
    AuditEvent.objects.filter(pk=ev.pk).update(after=ev.after, hash=ev.hash)
    result = verify_chain()
    assert not result.ok and result.broken_seq == 3
    assert events


def test_verify_command_passes_on_intact_chain(capsys):
    _write(2)
    call_command("audit", "verify")
    assert "审计链完整" in capsys.readouterr().out
