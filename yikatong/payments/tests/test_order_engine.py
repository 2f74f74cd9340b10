"""Payment orders change state only through their declared table (payments.flow.ORDERS) on the
shared engine: refusals carry codes, bank-answer steps are the system's, a lost conditional UPDATE
writes nothing."""
import dataclasses

import pytest

from tests.support.concurrency import code_or_ok, race
from tests.support.scenarios import pay_round, walk_to_approved
from yikatong.audit.models import AuditEvent
from yikatong.payments import flow, services
from yikatong.payments.errors import PaymentError
from yikatong.payments.models import OrderState, PaymentOrder
from yikatong.rosters.models import Batch, BatchState


def test_the_order_table_uses_declared_states_only():
    for tr in flow.ORDER_TRANSITIONS:
        assert tr.source in OrderState.values and tr.target in OrderState.values
    assert {tr.action for tr in flow.ORDER_TRANSITIONS if tr.is_system} == {"answer", "reject"}


@pytest.mark.django_db
def test_release_twice_is_refused_with_a_code_and_changes_nothing(pw, approved):
    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    services.order_release(actor=u["gk"], order_id=order.pk)
    before = AuditEvent.objects.count()
    with pytest.raises(PaymentError) as exc:
        services.order_release(actor=u["gk"], order_id=order.pk)
    assert exc.value.code == "TRANSITION_NOT_ALLOWED"
    assert PaymentOrder.objects.get(pk=order.pk).state == OrderState.RELEASED
    assert AuditEvent.objects.count() == before
    assert AuditEvent.objects.filter(action="payments.order.release", object_id=str(order.pk)).count() == 1


@pytest.mark.django_db
def test_a_bank_answer_step_cannot_be_taken_by_a_user(pw, approved):
    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    services.order_release(actor=u["gk"], order_id=order.pk)
    order = services.order_send(actor=u["gk"], order_id=order.pk, connector=pw.connector)
    with pytest.raises(PaymentError) as exc:
        flow.order_transition(actor=u["gk"], order_id=order.pk, action="answer")
    assert exc.value.code == "SYSTEM_ONLY"
    assert PaymentOrder.objects.get(pk=order.pk).state == OrderState.SENT


@pytest.mark.django_db
def test_a_lost_conditional_update_on_an_order_is_refused(pw, approved, monkeypatch):
    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)

    def concurrent_writer(*, obj, tr):  # another writer changes the row after it was read
        PaymentOrder.objects.filter(pk=obj.pk).update(state=OrderState.REJECTED)
        return {}

    monkeypatch.setattr(flow, "ORDERS", dataclasses.replace(flow.ORDERS, fields=concurrent_writer))
    with pytest.raises(PaymentError) as exc:
        services.order_release(actor=u["gk"], order_id=order.pk)
    assert exc.value.code == "CONCURRENT_CHANGE"
    assert Batch.objects.get(pk=approved.pk).state == BatchState.APPROVED


@pytest.mark.django_db
def test_a_full_round_goes_through_the_engine(pw, approved):
    order, _, _ = pay_round(approved, pw)
    assert order.state == OrderState.ANSWERED and order.answered_at is not None
    actions = list(AuditEvent.objects.filter(object_id=str(order.pk), action__startswith="payments.order.")
                   .order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == ["payments.order.release", "payments.order.send", "payments.order.answer"]
    assert Batch.objects.get(pk=approved.pk).state == BatchState.PAID


@pytest.mark.django_db(transaction=True)
def test_two_treasury_releases_at_the_same_moment_exactly_one_wins(pw, batch):
    from django.db import connection

    from yikatong.rosters.models import BatchEvent

    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are exercised on PostgreSQL; SQLite serialises all writers")
    walk_to_approved(batch, pw, "000")
    u = pw.users
    gk2 = pw.user("gk2", "czj", "treasury")
    order = services.order_create(actor=u["fin"], batch_id=batch.pk)
    treasurers = (u["gk"], gk2)
    results = [code_or_ok(o) for o in race(2, lambda i: services.order_release(actor=treasurers[i], order_id=order.pk))]
    assert sorted(results) == ["TRANSITION_NOT_ALLOWED", "ok"], results
    assert AuditEvent.objects.filter(action="payments.order.release", object_id=str(order.pk)).count() == 1
    assert BatchEvent.objects.filter(batch_id=batch.pk, action="pay").count() == 1
    assert Batch.objects.get(pk=batch.pk).state == BatchState.PAYING
