"""Issue 12 regressions for scope (point 3) and four eyes (point 4), written against the services that
existed before the fix so that each one failed there ("DID NOT RAISE" / the item paid):

- a blocking finding was cleared by the same township operator who imported the roster, and by a
  reviewer of another department;
- a department head could write off another department's payment failures; a station operator could
  change another station's roster or reissue;
- a finding confirmed as improper did not stop the item from being paid."""
import pytest
from django.core.exceptions import PermissionDenied

from tests.support.factories import finding as _finding
from tests.support.scenarios import approved_batch, pay_round
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.banksim.options import SimOptions
from yikatong.checks import services as check_services
from yikatong.checks.models import Finding
from yikatong.payments import services
from yikatong.payments.models import PaymentOrderItem
from yikatong.rosters import services as roster_services
from yikatong.rosters.models import Batch, BatchItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(pw, batch):
    pw.user("ny_head", "nync", Role.DEPT_HEAD)
    pw.org("station2", "大槐树镇农经站", OrgKind.TOWNSHIP_STATION, "town1", parent=pw.orgs["nync"])
    pw.user("zhan2", "station2", Role.TOWNSHIP_OPERATOR)
    approved_batch(batch, pw)
    check_services.ensure_rules()
    return batch


def _state(finding) -> str:
    return Finding.objects.get(pk=finding.pk).state


def test_the_importing_operator_cannot_clear_a_blocking_finding(pw, approved):
    Batch.objects.filter(pk=approved.pk).update(state="dept_approval")
    f = _finding(approved, approved.items.first(), "DUP_PAYMENT", "block")
    with pytest.raises(PermissionDenied) as exc:
        check_services.finding_dispose(actor=pw.users["zhan"], finding_id=f.pk, decision="cleared", reason="不是重复",
                               evidence_text="核对记录")
    assert exc.value.code == "FOUR_EYES_ROLE"
    assert _state(f) == "open"


def test_a_reviewer_of_another_department_cannot_clear_a_blocking_finding(pw, approved):
    Batch.objects.filter(pk=approved.pk).update(state="dept_approval")
    f = _finding(approved, approved.items.first(), "DUP_PAYMENT", "block")
    with pytest.raises(PermissionDenied) as exc:
        check_services.finding_dispose(actor=pw.users["ny_rev"], finding_id=f.pk, decision="cleared", reason="不是重复",
                               evidence_text="核对记录")
    assert exc.value.code == "NOT_OWNING_DEPARTMENT"
    assert _state(f) == "open"


def _failed_line(pw, approved):
    refs = list(approved.items.order_by("seq").values_list("item_ref", flat=True))
    order, _, _ = pay_round(approved, pw, SimOptions(fail_ref={refs[0]: "E01"}))
    return order.items.get(item_ref=refs[0])


def test_a_head_cannot_write_off_another_departments_failures(pw, approved):
    line = _failed_line(pw, approved)
    with pytest.raises(PermissionDenied) as exc:
        services.order_item_write_off(actor=pw.users["ny_head"], order_item_id=line.pk, reason="已死亡")
    assert exc.value.code == "NOT_OWNING_DEPARTMENT"
    assert PaymentOrderItem.objects.get(pk=line.pk).written_off_reason == ""


def test_a_station_cannot_reissue_another_stations_failures(pw, approved):
    _failed_line(pw, approved)
    batches = Batch.objects.count()
    with pytest.raises(PermissionDenied) as exc:
        services.reissue_create(actor=pw.users["zhan2"], batch_id=approved.pk)
    assert exc.value.code == "NOT_OWN_STATION"
    assert Batch.objects.count() == batches


def test_a_station_cannot_change_another_stations_roster(pw, batch):
    from yikatong.rosters.importer.run import roster_import
    from yikatong.rosters.tests.files import good_rows, to_csv

    pw.org("station2", "大槐树镇农经站", OrgKind.TOWNSHIP_STATION, "town1", parent=pw.orgs["nync"])
    zhan2 = pw.user("zhan2", "station2", Role.TOWNSHIP_OPERATOR)
    roster_import(actor=pw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(2)), filename="a.csv",
                  mode="all_or_nothing")
    item = batch.items.first()
    with pytest.raises(PermissionDenied) as exc:
        roster_services.item_remove(actor=zhan2, batch_id=batch.pk, item_id=item.pk, reason="不符合条件")
    assert exc.value.code == "NOT_OWN_STATION"
    assert BatchItem.objects.get(pk=item.pk).status == "active"


def test_a_confirmed_finding_stops_the_item_from_being_paid(pw, approved):
    items = list(approved.items.order_by("seq"))
    f = _finding(approved, items[1], "STATE_PAID", "warn")
    check_services.finding_dispose(actor=pw.users["mz_head"], finding_id=f.pk, decision="confirmed", reason="财政供养人员")
    order = services.order_create(actor=pw.users["fin"], batch_id=approved.pk)
    assert not order.items.filter(batch_item=items[1]).exists()
    assert order.item_count == len(items) - 1
