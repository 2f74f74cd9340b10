"""PaymentClaim: one approved, in-flight or paid item per (policy, period, person), enforced by the
database; reissues take over their origin's claim; the migration backfills existing batches."""
import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests.support.factories import add_item, clone_batch, person
from tests.support.scenarios import pay_round, walk_reissue_to_approved
from yikatong.banksim.options import SimOptions
from yikatong.payments import services
from yikatong.payments.models import PaymentClaim
from yikatong.rosters.errors import TransitionRefused
from yikatong.rosters.models import Batch
from yikatong.rosters.tests.files import card, id_number


@pytest.mark.django_db
def test_the_database_refuses_a_second_claim_of_the_same_person_policy_and_period(pw, approved, regions):
    held = PaymentClaim.objects.get(item__batch=approved, item__seq=1)
    other = clone_batch(approved, regions["town2"], "T2")
    dup = add_item(other, 1, "对象1", id_number(1), card(91))
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentClaim.objects.create(policy=held.policy, period=held.period, id_bidx=held.id_bidx, origin=dup,
                                    item=dup, batch=other, claimed_at=timezone.now())
    # another period of the same person and policy is another slot
    later = clone_batch(approved, regions["town2"], "T3", period="2026-12")
    ok = add_item(later, 1, "对象1", id_number(1), card(1))
    PaymentClaim.objects.create(policy=held.policy, period="2026-12", id_bidx=held.id_bidx, origin=ok, item=ok,
                                batch=later, claimed_at=timezone.now())
    assert PaymentClaim.objects.filter(id_bidx=held.id_bidx).count() == 2


@pytest.mark.django_db
def test_a_reissue_takes_over_its_origins_claim_along_the_chain(pw, approved):
    u = pw.users
    refs = list(approved.items.order_by("seq").values_list("item_ref", flat=True))
    origin = approved.items.get(seq=2)
    pay_round(approved, pw, SimOptions(fail_ref={refs[1]: "E01"}))
    reissue = services.reissue_create(actor=u["zhan"], batch_id=approved.pk,
                                      corrections={refs[1]: {"account": card(77)}})
    reissue = walk_reissue_to_approved(reissue, pw)
    new = reissue.items.get()
    claim = PaymentClaim.objects.get(origin=origin)
    assert (claim.item_id, claim.batch_id) == (new.pk, reissue.pk)
    pay_round(reissue, pw, SimOptions(fail_ref={new.item_ref: "E03"}))
    reissue2 = services.reissue_create(actor=u["zhan"], batch_id=reissue.pk,
                                       corrections={new.item_ref: {"account": card(78)}})
    reissue2 = walk_reissue_to_approved(reissue2, pw)
    claim.refresh_from_db()
    assert (claim.origin_id, claim.item_id, claim.batch_id) == (origin.pk, reissue2.items.get().pk, reissue2.pk)
    assert PaymentClaim.objects.count() == 3  # one slot per person, never a new one for a reissue


@pytest.mark.django_db
def test_a_death_learnt_after_approval_stops_the_treasury_payment(pw, approved, regions):
    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    person(regions["village1"], id_number(1), "对象1", status="deceased", since=dt.date(2026, 10, 3))
    with pytest.raises(TransitionRefused) as exc:
        services.order_release(actor=u["gk"], order_id=order.pk)
    assert exc.value.code == "BLOCKING_FINDINGS_OPEN" and "已死亡人员领取" in exc.value.message
    approved.refresh_from_db()
    order.refresh_from_db()
    assert approved.state == "approved" and order.state == "created"


@pytest.mark.django_db
def test_the_migration_backfills_claims_and_reports_duplicates_without_failing(pw, approved, regions, capsys):
    PaymentClaim.objects.all().delete()  # as before the migration
    twin = clone_batch(approved, regions["town2"], "T2")
    add_item(twin, 1, "对象2", id_number(2), card(92))  # an existing database paid 对象2 twice
    Batch.objects.filter(pk=twin.pk).update(state="paid")
    draft = clone_batch(approved, regions["town2"], "T3")
    add_item(draft, 1, "对象3", id_number(3), card(93))  # a draft holds no claim
    migration = importlib.import_module("yikatong.payments.migrations.0006_paymentclaim")
    migration.backfill(apps, SimpleNamespace(connection=connection))
    claimed = dict(PaymentClaim.objects.values_list("item__seq", "batch_id").filter(batch=approved))
    assert claimed == {1: approved.pk, 2: approved.pk, 3: approved.pk}
    assert not PaymentClaim.objects.filter(batch__in=[twin, draft]).exists()
    out = capsys.readouterr().out
    assert "1 items repeat" in out and twin.code in out


@pytest.mark.django_db
def test_a_person_added_to_a_reissue_who_was_paid_in_the_origin_batch_is_a_duplicate(pw, approved):
    """The duplicate rule spared every pair between a reissue and its parent batch; now only an item and
    its own origin (along the chain of reissues) are not duplicates of each other."""
    from yikatong.checks.models import Finding
    from tests.support.scenarios import do

    u = pw.users
    refs = list(approved.items.order_by("seq").values_list("item_ref", flat=True))
    pay_round(approved, pw, SimOptions(fail_ref={refs[1]: "E01"}))
    reissue = services.reissue_create(actor=u["zhan"], batch_id=approved.pk,
                                      corrections={refs[1]: {"account": card(77)}})
    added = add_item(reissue, 2, "对象1", id_number(1), card(1))  # paid in the origin batch, added by hand
    type(added).objects.filter(pk=added.pk).update(compare=[{"code": "matched"}])
    for user, action in [("zhan", "send_compare"), ("czs", "compare_pass")]:
        reissue = do(reissue, u[user], action)
    with pytest.raises(TransitionRefused) as exc:  # two controls catch it: the reissue guard first ...
        do(reissue, u["zhan"], "submit")
    assert exc.value.code == "REISSUE_NOT_FROM_ORIGIN"
    from yikatong.checks.services import batch_checks_run

    batch_checks_run(actor=None, batch_id=reissue.pk)  # ... and the duplicate rule, on its own
    dups = Finding.objects.filter(batch=reissue, rule__code="DUP_PAYMENT", state="open")
    assert list(dups.values_list("item__seq", flat=True)) == [2]  # not the reissued item 1
