"""The write-time flags behind the identifier rules, previous periods, and the household head exemption."""
import datetime as dt

import pytest

from tests.support.factories import bad_card, bad_id, person, uscc
from yikatong.checks import engine, services, sqlviews
from yikatong.checks.models import Finding, Rule
from yikatong.core.crypto import vault
from yikatong.policies.models import Policy
from yikatong.registry.models import Household, Person
from yikatong.rosters.importer.flags import account_valid, id_flags
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.models import Batch, BatchItem
from yikatong.rosters.tests.files import card, good_rows, id_number, to_csv


def test_flags_from_the_plaintext():
    assert id_flags(id_number(1, "19800229"), is_org=False) == (True, dt.date(1980, 2, 29))
    assert id_flags(bad_id(1), is_org=False) == (False, None)
    assert id_flags(uscc(), is_org=True) == (True, None)
    assert id_flags(id_number(1), is_org=True) == (False, None)  # an ID number is not a USCC
    assert account_valid(card(1), is_org=False) and not account_valid(bad_card(1), is_org=False)
    assert not account_valid("1234567890123", is_org=False)  # 13 digits: not a card
    assert account_valid("1234567890123", is_org=True)  # organisation accounts: no Luhn


@pytest.mark.django_db
def test_the_import_path_sets_the_flags(batch, rw):
    rows = good_rows(2)
    rows[0][4] = "139 0000 0009"
    run = roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(rows), filename="清册.csv",
                        mode="all_or_nothing")
    assert run.imported, run.message
    one, two = batch.items.order_by("seq")
    assert (one.id_valid, one.account_valid, one.birth_date) == (True, True, dt.date(1950, 1, 1))
    assert one.phone_bidx == vault().index("13900000009") and two.phone_bidx == ""


@pytest.mark.parametrize("period,kind,start,end,prev", [
    ("2026-11", "month", dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2026, 10, 1)),
    ("2026-01", "month", dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2025, 12, 1)),
    ("2026-12", "month", dt.date(2026, 12, 1), dt.date(2027, 1, 1), dt.date(2026, 11, 1)),
    ("2026Q1", "quarter", dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2025, 10, 1)),
    ("2026Q4", "quarter", dt.date(2026, 10, 1), dt.date(2027, 1, 1), dt.date(2026, 7, 1)),
    ("2026", "year", dt.date(2026, 1, 1), dt.date(2027, 1, 1), dt.date(2025, 1, 1)),
])
def test_previous_period(period, kind, start, end, prev):
    assert sqlviews.period_row(period) == (period, kind, start, end, prev)
    assert sqlviews.period_row("2026-13") is None and sqlviews.period_row("去年") is None


def _holder_codes(batch_pk) -> set[str]:
    return {f.evidence["mismatch"] for f in Finding.objects.filter(rule__code="HOLDER_MISMATCH", item__seq=18,
                                                                    item__batch_id=batch_pk)}


@pytest.mark.django_db
def test_household_head_may_receive_for_a_household_policy(planted, rw, regions):
    """Item 18 paid into the card of its household's head: an error for a per-person policy,
    allowed when the policy pays per household."""
    batch = planted["batch"]
    hh = Household.objects.create(number="H018", village=regions["village1"])
    Person.objects.filter(id_bidx=vault().id_index(id_number(18))).update(household=hh, relation="子女")
    person(regions["village1"], id_number(70), "户主甲", household=hh, account=card(70))
    v = vault()
    BatchItem.objects.filter(pk=planted["items"][18].pk).update(account_holder="户主甲", account_bidx=v.index(card(70)))
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    assert _holder_codes(batch.pk) == {"holder", "owner"}
    Policy.objects.filter(pk=rw.policy.pk).update(unit="household")
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    assert not Finding.objects.filter(rule__code="HOLDER_MISMATCH", item__seq=18, state="open").exists()
    # another member's card is still refused under a household policy
    member = person(regions["village1"], id_number(71), "家人乙", household=hh, account=card(71))
    Person.objects.filter(pk=member.pk).update(relation="配偶")
    BatchItem.objects.filter(pk=planted["items"][18].pk).update(account_holder="家人乙", account_bidx=v.index(card(71)))
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    assert {f.evidence["mismatch"] for f in Finding.objects.filter(
        rule__code="HOLDER_MISMATCH", item__seq=18, state="open")} == {"holder", "owner"}


@pytest.mark.django_db
def test_parameters_of_the_new_rules(planted, rw):
    services.ensure_rules()
    scope = sqlviews.scope_rows([Batch.objects.select_related("policy").get(pk=planted["batch"].pk)])
    phone, jump = Rule.objects.get(code="SHARED_PHONE"), Rule.objects.get(code="AMOUNT_JUMP")
    seqs = lambda hits: {BatchItem.objects.get(pk=h.item_id).seq for h in hits}  # noqa: E731
    assert seqs(engine.run_rule(phone, scope)) == {23, 24, 25, 26}
    assert seqs(engine.run_rule(phone, scope, {"max_per_phone": 2})) == set(range(23, 30))
    assert seqs(engine.run_rule(jump, scope)) == {30}
    assert seqs(engine.run_rule(jump, scope, {"max_increase_pct": 20})) == {13, 30}
