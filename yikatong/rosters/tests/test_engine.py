"""The one state engine (core.statemachine) as used by batches: no other code writes a state, the
conditional UPDATE's row count is checked (also for the system's steps on bank answers), system
steps cannot be run by users, and the declared table is consistent."""
from pathlib import Path

import pytest

from tests.support.scenarios import do
from yikatong.audit.models import AuditEvent
from yikatong.core.profiles import PROFILES
from yikatong.core.statemachine import SYSTEM
from yikatong.rosters import flows, guards, transitions
from yikatong.rosters.errors import TransitionRefused
from yikatong.rosters.models import Batch, BatchEvent, BatchState

from .state_writes import scan_source, scan_tree

PACKAGE = Path(__file__).resolve().parents[2]


# ---- no other code writes a state ---------------------------------------------------------------

def test_no_module_but_the_engine_writes_a_batch_or_order_state():
    assert scan_tree(PACKAGE) == []


@pytest.mark.parametrize("snippet", [
    "Batch.objects.filter(pk=1).update(state='paid')",
    "PaymentOrder.objects.filter(pk=o.pk, state=OrderState.SENT).update(state=OrderState.ANSWERED, x=1)",
    "batch.payment_orders.update(state='rejected')",
    "batch.state = 'approved'",
    "order.state = OrderState.SENT",
    "self.batch.state = 'paid'",
    "item.batch.state = 'paid'",
    "Batch.objects.select_for_update().filter(pk=1).update(state='paid')",
    "qs_batches = 1; batches_qs.update(state='paid')",
    "setattr(batch, 'state', 'paid')",
    "batch.save(update_fields=['state', 'version'])",
    "Batch.objects.create(code='x', state='approved')",
    "PaymentOrder(state='sent')",
    "Batch.objects.update_or_create(code='x', defaults={'state': 'paid'})",
    "update_rows(PaymentOrder, ('state',), rows)",
    "cur.execute('UPDATE rosters_batch SET state = %s WHERE id = %s', ['paid', 1])",
])
def test_the_scan_catches_each_kind_of_state_write(snippet):
    assert scan_source(snippet), snippet


@pytest.mark.parametrize("snippet", [
    "Batch.objects.create(code='x', state=BatchState.DRAFT)",
    "Batch.objects.create(code='x', state='draft')",
    "PaymentOrder.objects.create(batch=b, state=OrderState.CREATED)",
    "Batch.objects.filter(state='approved')",
    "job.state = JobState.DONE",
    "Finding.objects.filter(pk=1).update(state='cleared')",
    "Batch.objects.filter(pk=1).update(state_since=now)",
    "batch.findings.filter(severity='block').update(state='cleared')",
    "batch.claim.state = 'released'",
    "order.items.update(status='paid')",
])
def test_the_scan_allows_creation_in_the_initial_state_and_other_models(snippet):
    assert scan_source(snippet) == []


# ---- the declared table ---------------------------------------------------------------------------

def test_batch_state_is_a_choices_field_and_every_transition_uses_declared_states_and_guards():
    import yikatong.payments.guards  # noqa: F401  (the payment leg's guards)

    assert Batch._meta.get_field("state").choices == BatchState.choices
    assert set(flows.STATES) == set(BatchState.values)
    for profile in PROFILES.values():
        table = flows.transitions_for(profile)
        keys = [(tr.source, tr.action) for tr in table]
        assert len(keys) == len(set(keys)), profile.code  # one transition per (state, action)
        for tr in table:
            assert tr.source in BatchState.values and tr.target in BatchState.values, tr
            assert all(g in guards._GUARDS for g in tr.guards), tr
            assert all(e in guards._EFFECTS for e in tr.effects), tr
            assert tr.roles, tr


# ---- the conditional UPDATE ----------------------------------------------------------------------

def _with_guard(monkeypatch, action: str, guard: str):
    original = flows.transitions_for

    def table(profile):
        return [tr.__class__(**{**tr.__dict__, "guards": (*tr.guards, guard)}) if tr.action == action else tr
                for tr in original(profile)]

    monkeypatch.setattr(flows, "transitions_for", table)


@pytest.fixture
def sneaky_writer(monkeypatch):
    """A guard that, while the engine holds the row, lets another writer change it (as a writer
    that bypassed the lock would): the conditional UPDATE must then match no row."""
    @guards.register("test_concurrent_writer")
    def concurrent_writer(*, batch, **_):
        Batch.objects.filter(pk=batch.pk).update(version=batch.version + 1)
        return None

    yield lambda action: _with_guard(monkeypatch, action, "test_concurrent_writer")
    guards._GUARDS.pop("test_concurrent_writer", None)


@pytest.mark.django_db
def test_a_lost_conditional_update_is_refused_and_writes_nothing(batch, rw, sneaky_writer):
    Batch.objects.filter(pk=batch.pk).update(state=BatchState.DEPT_REVIEW)
    sneaky_writer("approve_notice")
    events, audits = BatchEvent.objects.count(), AuditEvent.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["mz_rev"], "approve_notice")
    assert exc.value.code == "CONCURRENT_CHANGE"
    batch.refresh_from_db()
    assert batch.state == BatchState.DEPT_REVIEW
    assert (BatchEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)


@pytest.mark.django_db
def test_system_steps_check_the_update_count_too(batch, rw, sneaky_writer):
    """payments.flow.system_apply used to write without checking the row count; it is now apply."""
    from yikatong.payments.flow import system_apply

    Batch.objects.filter(pk=batch.pk).update(state=BatchState.PAYING)
    sneaky_writer("result_paid")
    with pytest.raises(TransitionRefused) as exc:
        system_apply(actor=None, batch_id=batch.pk, action="result_paid", reason="回盘")
    assert exc.value.code == "CONCURRENT_CHANGE"
    assert Batch.objects.get(pk=batch.pk).state == BatchState.PAYING


@pytest.mark.django_db
def test_system_steps_cannot_be_run_by_a_user_and_are_offered_to_nobody(batch, rw):
    from yikatong.payments.flow import system_apply

    Batch.objects.filter(pk=batch.pk).update(state=BatchState.PAYING)
    batch.refresh_from_db()
    for user in rw.users.values():
        assert transitions.actions_for(user, batch) == []
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["fin"], "result_paid")
    assert exc.value.code == "SYSTEM_ONLY"
    assert all(tr.roles == SYSTEM for tr in flows.transitions_for(PROFILES["000"]) if tr.action.startswith("result_"))
    paid = system_apply(actor=None, batch_id=batch.pk, action="result_paid", reason="回盘：全部成功")
    assert paid.state == BatchState.PAID and paid.version == batch.version + 1
    event = BatchEvent.objects.get(batch=batch, action="result_paid")
    assert event.actor is None and (event.from_state, event.to_state) == ("paying", "paid")
    assert AuditEvent.objects.filter(action="rosters.result_paid", object_id=str(batch.pk)).count() == 1


@pytest.mark.django_db
def test_a_transition_not_declared_from_the_current_state_is_refused(batch, rw):
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["fin"], "finance_approve")
    assert exc.value.code == "TRANSITION_NOT_ALLOWED"
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["zhan"], "send_compare")  # declared, but its guard fails: no items
    assert exc.value.code == "NO_ACTIVE_ITEMS"


@pytest.mark.django_db
def test_out_of_scope_actor_is_refused_with_its_code(batch, rw, regions):
    from yikatong.accounts.models import OrgKind
    from yikatong.accounts.roles import Role

    rw.org("station2", "另一镇民政办", OrgKind.TOWNSHIP_STATION, "town2", parent=rw.orgs["mz"])
    outsider = rw.user("zhan2", "station2", Role.TOWNSHIP_OPERATOR)
    with pytest.raises(TransitionRefused) as exc:
        do(batch, outsider, "send_compare")
    assert exc.value.code == "NOT_IN_REGION"


def test_every_refusal_code_raised_by_the_engine_guards_and_notices_has_a_message():
    import re

    import yikatong.payments.flow  # noqa: F401  (registers the payment codes)
    from yikatong.core.refusals import message_for

    files = ["core/statemachine.py", "rosters/guards.py", "rosters/services.py", "rosters/transitions.py",
             "payments/guards.py", "payments/flow.py", "payments/orders.py", "payments/rejections.py"]
    codes = set()
    for f in files:
        text = (PACKAGE / f).read_text(encoding="utf-8")
        codes |= set(re.findall(r'(?:Problem|Error|Refused|refuse)\(\s*"([A-Z][A-Z0-9_]+)"', text))
    assert {"NOTICE_BACKDATED", "NOTICE_PHONE_REQUIRED", "OBJECTIONS_OPEN", "CONCURRENT_CHANGE"} <= codes
    missing = sorted(c for c in codes if message_for(c) == c)
    assert missing == []


@pytest.mark.django_db
def test_the_database_refuses_an_undeclared_batch_state(batch):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Batch.objects.filter(pk=batch.pk).update(state="paid_twice")
    assert Batch.objects.get(pk=batch.pk).state == BatchState.DRAFT
