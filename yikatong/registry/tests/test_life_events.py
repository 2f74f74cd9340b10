"""Life events through the service: history kept, one audit event, role and region checked."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yikatong.audit.models import AuditEvent
from yikatong.core.crypto import vault
from yikatong.registry import services
from yikatong.registry.choices import AccountStatus, EventKind, PersonStatus
from yikatong.registry.models import Person

from .conftest import register_file

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 10, 9)


@pytest.fixture
def person(do_import, population, clerk):
    do_import(register_file(population), actor=clerk)
    return Person.objects.get(id_bidx=vault().id_index(next(m for m in population if m.status == "正常").id_number))


def _event(clerk, person, kind, **kw):
    return services.life_event_record(actor=clerk, person_id=person.pk, kind=kind, effective_date=DAY,
                                      source="证明材料", **kw)


def test_move_out_and_back_in_and_death(clerk, person, villages):
    _event(clerk, person, EventKind.MOVE_OUT)
    person.refresh_from_db()
    assert person.status == PersonStatus.MOVED_OUT and person.status_since == DAY and person.import_digest == ""
    _event(clerk, person, EventKind.MOVE_IN, village_code=villages["v2"].code)
    person.refresh_from_db()
    assert person.status == PersonStatus.NORMAL and person.village_id == villages["v2"].code
    _event(clerk, person, EventKind.DEATH)
    person.refresh_from_db()
    assert person.status == PersonStatus.DECEASED
    kinds = list(person.events.order_by("id").values_list("kind", flat=True))
    assert kinds == [EventKind.MOVE_OUT, EventKind.MOVE_IN, EventKind.DEATH]
    assert AuditEvent.objects.filter(action="registry.life_event", object_id=str(person.pk)).count() == 3


def test_account_status_and_change(clerk, person):
    _event(clerk, person, EventKind.ACCOUNT_STATUS, account_status=AccountStatus.FROZEN)
    assert person.accounts.get(is_current=True).status == AccountStatus.FROZEN
    with pytest.raises(ValidationError) as exc:
        _event(clerk, person, EventKind.ACCOUNT_STATUS, account_status=AccountStatus.FROZEN)
    assert exc.value.code == "LIFE_EVENT_NO_CHANGE"
    from stdnum import luhn

    new = "622202" + "555566667777"
    new += luhn.calc_check_digit(new)
    _event(clerk, person, EventKind.ACCOUNT_CHANGE, account_no=new, bank="中国工商银行")
    current = person.accounts.get(is_current=True)
    assert vault().decrypt(current.number_enc) == new and current.bank == "中国工商银行"
    old = person.accounts.get(is_current=False)
    assert old.status == AccountStatus.CLOSED and old.closed_on == DAY
    assert [e.kind for e in old.events.order_by("id")] == ["status", "closed"]


def test_refusals_change_nothing(make_user, regions, person, villages):
    other = make_user("czs2", "township_finance", region=regions["town2"])
    op = make_user("op2", "township_operator", region=regions["town1"])
    for actor in (other, op):
        with pytest.raises(PermissionDenied):
            _event(actor, person, EventKind.DEATH)
    clerk_town1 = make_user("czs3", "township_finance", region=regions["town1"])
    with pytest.raises(PermissionDenied):
        _event(clerk_town1, person, EventKind.MOVE_IN, village_code=villages["v3"].code)  # into another township
    with pytest.raises(ValidationError):
        services.life_event_record(actor=clerk_town1, person_id=person.pk, kind=EventKind.DEATH, effective_date=DAY, source=" ")
    person.refresh_from_db()
    assert person.status == PersonStatus.NORMAL and person.events.count() == 0
