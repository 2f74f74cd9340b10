"""Clue transfer (线索移送): one clue per finding, a never-reused case number, one audit event,
and the permission matrix (refusals change nothing)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from tests.support.concurrency import failed, race
from yikatong.audit.models import AuditEvent
from yikatong.checks import services as check_services
from yikatong.checks.evidence import Upload
from yikatong.checks.models import FindingState
from yikatong.checks.selectors import blocking_findings
from yikatong.rosters.models import BatchItem
from yikatong.supervision.models import Clue, ClueEntry, ClueNumberSequence, EntryKind
from yikatong.supervision.numbers import next_case_no

from .conftest import finding, transfer


def _prefix() -> str:
    return f"XS-141024-{timezone.localdate().year}-"


@pytest.mark.django_db
def test_transfer_opens_one_clue_with_a_case_number_and_one_audit_event(checked, people):
    f = finding("AMOUNT_STANDARD")
    out = transfer(people["zhan"], "AMOUNT_STANDARD", evidence_text="村委会核实记录")
    assert out.state == FindingState.TRANSFERRED and out.disposed_by == people["zhan"]
    assert out.case_no == _prefix() + "000001"
    clue = Clue.objects.get()
    assert clue.finding_id == f.pk and clue.case_no == out.case_no and clue.region_id == checked["batch"].region_id
    assert clue.state == "transferred" and clue.transferred_by == people["zhan"]
    assert [(e.kind, e.actor_id) for e in clue.entries.all()] == [(EntryKind.TRANSFER, people["zhan"].pk)]
    # transferred means confirmed: the item leaves the editable batch like a confirmed one
    assert BatchItem.objects.get(pk=f.item_id).status == "removed"
    events = AuditEvent.objects.filter(action="checks.finding_transferred", object_id=str(f.pk))
    assert events.count() == 1 and events.get().after["case_no"] == out.case_no
    assert events.get().after["evidence"] == [{"text": "村委会核实记录"}]
    # a second transfer of the same finding is refused; a second finding gets the next number
    with pytest.raises(ValidationError) as exc:
        transfer(people["zhan"], "AMOUNT_STANDARD")
    assert exc.value.code == "FINDING_NOT_OPEN"
    assert Clue.objects.count() == 1
    assert transfer(people["czs"], "CADRE").case_no == _prefix() + "000002"


@pytest.mark.django_db
def test_a_transferred_blocking_finding_still_blocks_while_its_item_is_in_the_batch(checked, people):
    batch = checked["batch"]
    type(batch).objects.filter(pk=batch.pk).update(state="dept_approval")
    before = blocking_findings(batch).count()
    out = transfer(people["fin"], "DUP_PAYMENT")
    assert "退回" in out.outcome and blocking_findings(batch).count() == before


@pytest.mark.django_db
def test_transfer_needs_a_reason_and_refuses_bad_evidence_without_a_trace(checked, people):
    events, seqs = AuditEvent.objects.count(), ClueNumberSequence.objects.count()
    with pytest.raises(ValidationError) as exc:
        transfer(people["czs"], "CADRE", reason="  ")
    assert exc.value.code == "FINDING_TRANSFER_REASON_REQUIRED"
    with pytest.raises(ValidationError) as exc:
        transfer(people["czs"], "CADRE", evidence_files=[Upload("a.gif", b"GIF89a....")])
    assert exc.value.code == "FINDING_EVIDENCE_TYPE_REFUSED"
    assert finding("CADRE").state == FindingState.OPEN and not Clue.objects.exists()
    assert AuditEvent.objects.count() == events and ClueNumberSequence.objects.count() == seqs


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["wrong_role_supervisor", "wrong_role_clerk", "wrong_region"])
def test_transfer_is_refused_by_role_and_region_and_changes_nothing(checked, people, who):
    actor = {"wrong_role_supervisor": people["sup"], "wrong_role_clerk": people["cun"],
             "wrong_region": people["other_fin"]}[who]
    f = finding("CADRE")
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        transfer(actor, "CADRE")
    f.refresh_from_db()
    assert f.state == FindingState.OPEN and f.disposed_by is None
    assert not Clue.objects.exists() and not ClueNumberSequence.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_case_numbers_are_per_county_and_year():
    with transaction.atomic(), pytest.raises(ValueError, match="6 位数字"):
        next_case_no(county_code="14102", year=2026)
    with transaction.atomic():
        assert next_case_no(county_code="141024", year=2026) == "XS-141024-2026-000001"
        assert next_case_no(county_code="141024", year=2027) == "XS-141024-2027-000001"
        assert next_case_no(county_code="652301", year=2026) == "XS-652301-2026-000001"
        assert next_case_no(county_code="141024", year=2026) == "XS-141024-2026-000002"


def _threads(n, work):
    outcomes = race(n, work)
    return [None if isinstance(o, Exception) else o for o in outcomes], failed(outcomes)


@pytest.mark.django_db(transaction=True)
def test_case_numbers_are_unique_under_concurrency():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks and its in-memory test database is private to one connection: "
                    "concurrent allocation is proven on PostgreSQL (select_for_update)")
    per_thread = 20

    def allocate(_):
        out = []
        for _ in range(per_thread):
            with transaction.atomic():
                out.append(next_case_no(county_code="141024", year=2026))
        return out

    results, errors = _threads(2, allocate)
    assert not errors
    numbers = [n for r in results for n in r]
    assert sorted(numbers) == [f"XS-141024-2026-{n:06d}" for n in range(1, 2 * per_thread + 1)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_transfers_get_distinct_numbers_and_one_clue_per_finding(checked, people):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent transfers need row locks: proven on PostgreSQL")
    codes = ["CADRE", "STATE_PAID"]
    results, errors = _threads(2, lambda i: transfer(people["czs"], codes[i]).case_no)
    assert not errors and sorted(results) == [_prefix() + "000001", _prefix() + "000002"]
    # the same finding transferred twice at once: one wins, the other is told it is already disposed
    results, errors = _threads(2, lambda i: transfer(people["czs"], "ASSETS").case_no)
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert [r for r in results if r] == [_prefix() + "000003"]
    assert Clue.objects.filter(finding__rule__code="ASSETS").count() == 1
    assert ClueEntry.objects.count() == 3
