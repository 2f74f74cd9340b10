"""Issue 12 acceptance: random sequences of imports, edits, checks, approvals, disposals (clearing with
four eyes, confirming as improper), bank results and reissues, by several actors over two townships
whose rosters share people, never pay a (policy, period, person) twice, and every approved fen is paid,
returned or still in flight.

Refusals are expected along the way (that is what the controls are for); the invariants are checked
after every step, whatever was refused.
"""
import tempfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.support.scenarios import send_and_answer
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.banksim.options import SimOptions
from yikatong.core.refusals import Refusal
from yikatong.funds.models import FundCommitment
from yikatong.payments import services
from yikatong.payments.exchange.connector import OutboxConnector
from yikatong.payments.models import ItemStatus, OrderState, PaymentOrder, PaymentOrderItem
from yikatong.rosters import services as roster_services
from yikatong.rosters.importer.run import roster_import
from yikatong.regions.models import Region
from yikatong.rosters.models import Batch
from yikatong.rosters.tests.files import card, id_number, to_csv

from .walk import advance

PEOPLE = 4  # persons 0..5; both townships' rosters draw from them (so duplicates are the norm)
REFUSED = (Refusal, PermissionDenied, ValidationError)  # anything else is a bug and fails the test


class _Rollback(Exception):
    pass


@pytest.fixture
def two_towns(pw, regions):
    """pw's county with a second township (甘亭镇) that has its own station and finance office."""
    w = pw
    Region.objects.create(code="141024101001", name="甘亭村委会", level=5, parent=regions["town2"])
    w.org("station2", "甘亭镇民政办", OrgKind.TOWNSHIP_STATION, "town2", parent=w.orgs["mz"])
    w.org("fin_office2", "甘亭镇财政所", OrgKind.TOWNSHIP_FINANCE, "town2")
    w.user("zhan2", "station2", Role.TOWNSHIP_OPERATOR)
    w.user("czs2", "fin_office2", Role.TOWNSHIP_FINANCE)
    batches = [
        roster_services.batch_create(actor=w.users["zhan"], policy=w.policy, period="2026-11", region=regions["town1"]),
        roster_services.batch_create(actor=w.users["zhan2"], policy=w.policy, period="2026-11", region=regions["town2"]),
    ]
    w.stations = [("zhan", "czs"), ("zhan2", "czs2")]
    return w, [b.pk for b in batches]


VILLAGES = ["第一村委会", "甘亭村委会"]


def _rows(persons, which):
    return [[str(n), f"对象{p}", id_number(p + 1), VILLAGES[which], "", card(p + 1), "500.00"]
            for n, p in enumerate(persons, 1)]


def check_invariants():
    """Each (policy, period, person) paid at most once; approved = paid + returned + in flight, in fen."""
    twice = (PaymentOrderItem.objects.filter(status=ItemStatus.PAID)
             .values("order__batch__policy_id", "order__batch__period", "batch_item__id_bidx")
             .annotate(n=Count("id")).filter(n__gt=1))
    assert not twice.exists(), f"paid twice: {list(twice)}"
    for order in PaymentOrder.objects.filter(state=OrderState.ANSWERED):
        assert order.paid_fen + order.failed_fen == order.total_fen
    for batch in Batch.objects.all():
        c = FundCommitment.objects.filter(ref=f"batch:{batch.code}").aggregate(
            p=Sum("paid_fen"), r=Sum("released_fen"), o=Sum("outstanding_fen"), t=Sum("committed_fen"))
        if c["t"] is None:
            continue
        answered = PaymentOrder.objects.filter(batch=batch, state=OrderState.ANSWERED)
        assert c["p"] == sum(o.paid_fen for o in answered)
        assert c["r"] == sum(o.failed_fen for o in answered)
        # approved = paid + returned + in flight; what is approved is the order's lines (items held out
        # of payment by a confirmed finding are neither committed nor paid)
        live = PaymentOrder.objects.filter(batch=batch).exclude(state=OrderState.REJECTED)
        assert c["p"] + c["r"] + c["o"] == c["t"] == sum(o.total_fen for o in live)
        assert c["t"] <= batch.total_fen


def _import(w, pk, which, persons):
    user = w.users[w.stations[which][0]]
    run = roster_import(actor=user, batch_id=pk, data=to_csv(_rows(persons, which)), filename="清册.csv",
                        mode="all_or_nothing")
    if not run.imported:
        raise Refusal("IMPORT_" + run.message)


def _pay(w, pk, fails, connector):
    batch = Batch.objects.get(pk=pk)
    order = services.order_create(actor=w.users["fin"], batch_id=batch.pk)
    refs = list(order.items.order_by("seq").values_list("item_ref", flat=True))
    fail = {ref: "E01" for ref, f in zip(refs, fails) if f}
    send_and_answer(order, w, SimOptions(fail_ref=fail), connector)


def _reissue(w, pk, which):
    batch = Batch.objects.get(pk=pk)
    zhan = w.users[w.stations[which][0]]
    failed = services.unsettled_failures(batch) if hasattr(services, "unsettled_failures") else []
    fixes = {line.item_ref: {"account": card(700 + n)} for n, line in enumerate(failed)}
    reissue = services.reissue_create(actor=zhan, batch_id=batch.pk, corrections=fixes)
    advance(w, reissue.pk, w.stations[which])


def _confirm(w, pk, n):
    """The department reviewer confirms one of the batch's open findings as improper."""
    from yikatong.checks import services as checks
    from yikatong.checks.models import Finding, FindingState

    findings = list(Finding.objects.filter(batch_id=pk, state=FindingState.OPEN).order_by("pk"))
    if findings:
        checks.finding_dispose(actor=w.users["mz_rev"], finding_id=findings[n % len(findings)].pk,
                       decision=FindingState.CONFIRMED, reason="核实属实")


def _remove(w, pk, which, seq):
    batch = Batch.objects.get(pk=pk)
    item = batch.items.filter(status="active").order_by("seq")[seq % max(batch.items.count(), 1):].first()
    if item is not None:
        roster_services.item_remove(actor=w.users[w.stations[which][0]], batch_id=pk, item_id=item.pk,
                                    reason="核实不符合条件")


_import_op = st.tuples(st.just("import"), st.integers(0, 1),
                      st.lists(st.integers(0, PEOPLE - 1), min_size=1, max_size=3, unique=True))
_advance_op = st.tuples(st.just("advance"), st.integers(0, 1), st.booleans())
_pay_op = st.tuples(st.just("pay"), st.integers(0, 1), st.lists(st.booleans(), min_size=3, max_size=3))
op = st.one_of(
    _import_op, _import_op, _advance_op, _advance_op, _pay_op, _pay_op,
    st.tuples(st.just("reissue"), st.integers(0, 1), st.none()),
    st.tuples(st.just("remove"), st.integers(0, 1), st.integers(0, 2)),
    st.tuples(st.just("confirm"), st.integers(0, 1), st.integers(0, 3)),
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=2, max_size=10))
def test_random_sequences_never_pay_twice_and_balance_to_the_fen(two_towns, ops):
    w, pks = two_towns
    try:
        with transaction.atomic():
            connector = OutboxConnector(tempfile.mkdtemp(), tempfile.mkdtemp())
            for kind, which, arg in ops:
                pk = pks[which]
                try:
                    with transaction.atomic():
                        if kind == "import":
                            _import(w, pk, which, arg)
                        elif kind == "advance":
                            advance(w, pk, w.stations[which], clear_findings=arg)
                        elif kind == "pay":  # whatever stage the batch is at: walk on, clearing findings, then pay
                            advance(w, pk, w.stations[which], clear_findings=True)
                            _pay(w, pk, arg, connector)
                        elif kind == "reissue":
                            _reissue(w, pk, which)
                        elif kind == "confirm":
                            _confirm(w, pk, arg)
                        else:
                            _remove(w, pk, which, arg)
                except REFUSED:
                    pass  # refused steps change nothing (their savepoint is rolled back)
                check_invariants()
            raise _Rollback
    except _Rollback:
        pass


@pytest.mark.django_db
def test_the_same_person_in_two_townships_is_paid_once_even_when_findings_are_cleared(two_towns):
    """The directed case of the property: person 0 on both rosters; every warning cleared; both walked
    to payment. Only one of them can be approved."""
    w, pks = two_towns
    connector = OutboxConnector(tempfile.mkdtemp(), tempfile.mkdtemp())
    _import(w, pks[0], 0, [0, 1])
    _import(w, pks[1], 1, [0, 2])
    approved, refusals = [], []
    for which, pk in enumerate(pks):
        try:
            advance(w, pk, w.stations[which], clear_findings=True)
        except REFUSED as exc:
            refusals.append(exc.code if isinstance(exc, Refusal) else repr(exc))
        if Batch.objects.get(pk=pk).state == "approved":
            _pay(w, pk, [False] * 4, connector)
            approved.append(pk)
    check_invariants()
    assert len(approved) == 1
    assert refusals == ["DUPLICATE_PAYMENT"]  # the second township's approval is refused, whatever was cleared
