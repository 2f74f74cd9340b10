"""Watch lists of issue 16 §5 (reports.shared_accounts, reports.person_year): an account paid for three persons
in a year is listed and one paid for one is not; another county's finance sees neither; the drill-down lists
the account's lines; a person's year sums equal their paid lines, household members included; two exclusive
policies received for overlapping periods are flagged; refusals carry their codes; pages and API answer."""
import pytest
from django.urls import reverse

from tests.support.factories import add_item, clone_batch, person
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core.refusals import Refusal
from yikatong.payments.models import PaymentOrder, PaymentOrderItem
from yikatong.policies.models import Policy
from yikatong.registry.models import Household
from yikatong.reports import person_year as py
from yikatong.reports import shared_accounts as sa
from yikatong.rosters.models import Batch, BatchItem
from yikatong.rosters.tests.files import id_number

SHARED, OWN = "6228480012345600017", "6228480012345600025"


def _id(n: int) -> str:
    return id_number(n)


def _pay(pw, batch, items, n=[0]):
    n[0] += 1
    Batch.objects.filter(pk=batch.pk).update(state="paid")
    order = PaymentOrder.objects.create(batch=batch, agreement=pw.agreement, batch_no=f"W{n[0]}", state="answered",
                                        item_count=len(items), total_fen=sum(i.amount_fen for i in items),
                                        created_by=pw.users["fin"])
    for seq, it in enumerate(items, 1):
        PaymentOrderItem.objects.create(order=order, seq=seq, batch_item=it, origin=it, item_ref=it.item_ref,
                                        amount_fen=it.amount_fen, status="paid")


@pytest.fixture
def ledger(pw, batch, regions, villages):
    """2026-10 in town1: three persons paid into SHARED, one into OWN; 2026-11 in town2: the OWN person again;
    another county: three persons into one account (out of the county's scope)."""
    pw.user("sup", "czj", Role.SUPERVISOR)
    oct_ = clone_batch(batch, regions["town1"], "O", period="2026-10")
    items = [add_item(oct_, n, f"人{n}", _id(n), SHARED, amount_fen=10000 * n) for n in (1, 2, 3)]
    items.append(add_item(oct_, 4, "自己", _id(4), OWN, amount_fen=30000))
    _pay(pw, oct_, items)
    nov = clone_batch(batch, regions["town2"], "N", period="2026-11")
    _pay(pw, nov, [add_item(nov, 1, "自己", _id(4), OWN, amount_fen=30000)])
    far = clone_batch(batch, regions["other_county"], "F", period="2026-10")
    _pay(pw, far, [add_item(far, n, f"外{n}", _id(10 + n), "6228480012345600033") for n in (1, 2, 3)])
    return pw


@pytest.mark.parametrize("who", ["fin", "sup"])
def test_an_account_paying_three_persons_is_listed_and_an_own_account_is_not(ledger, who):
    r = sa.shared_accounts(ledger.users[who], year="2026")
    rows = list(r.rows)
    assert [(sa.last4(x["masked"]), x["recipients"], x["lines"], x["total_fen"]) for x in rows] == \
        [("0017", 3, 3, 60000)]
    tail, lines = sa.account_lines(ledger.users[who], year="2026", item_id=rows[0]["item_id"])
    assert tail == "0017" and sorted(x["batch_item__name"] for x in lines) == ["人1", "人2", "人3"]
    assert all("*" in x["batch_item__id_masked"] for x in lines)
    assert len(list(sa.shared_accounts(ledger.users[who], year="2026", min_recipients=2).rows)) == 1
    assert list(sa.shared_accounts(ledger.users[who], year="2025").rows) == []


def test_another_county_sees_only_its_own(ledger):
    rows = list(sa.shared_accounts(ledger.users["other_fin"], year="2026").rows)
    assert [sa.last4(x["masked"]) for x in rows] == ["0033"]
    mine = BatchItem.objects.filter(account_bidx=BatchItem.objects.filter(name="人1").get().account_bidx).first()
    with pytest.raises(Refusal) as exc:
        sa.account_lines(ledger.users["other_fin"], year="2026", item_id=mine.pk)
    assert exc.value.code == "SHARED_ACCOUNT_UNKNOWN"


@pytest.mark.parametrize("who,kw,code", [("mz_rev", {}, "SHARED_ACCOUNT_ROLE"),
                                         ("fin", {"year": "26"}, "WATCH_YEAR_INVALID"),
                                         ("fin", {"min_recipients": 1}, "SHARED_ACCOUNT_THRESHOLD")])
def test_shared_accounts_refusals(ledger, who, kw, code):
    with pytest.raises(Refusal) as exc:
        sa.shared_accounts(ledger.users[who], **{"year": "2026", **kw})
    assert exc.value.code == code


def test_a_persons_year_sums_equal_the_paid_lines_with_the_household(ledger, villages):
    home = Household.objects.create(village=villages["v1"], number="H01")
    person(villages["v1"], _id(4), "自己", household=home)
    person(villages["v1"], _id(1), "人1", household=home, relation="配偶")
    before = AuditEvent.objects.count()
    v = py.person_year(ledger.users["fin"], id_number=_id(4), year="2026")
    assert v.household_no == "H01" and [p.name for p in v.people] == ["自己", "人1"]
    expected = {name: sum(PaymentOrderItem.objects.filter(batch_item__name=name, status="paid")
                          .values_list("amount_fen", flat=True)) for name in ("自己", "人1")}
    assert {p.name: p.total_fen for p in v.people} == expected == {"自己": 60000, "人1": 10000}
    assert v.total_fen == 70000 and v.conflicts == []
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == before + 1 and event.action == "lookup.person_year"
    assert _id(4) not in str(event.__dict__)
    # another county's finance sees none of it
    assert py.person_year(ledger.users["other_fin"], id_number=_id(4), year="2026").found is False


def test_exclusive_policies_in_overlapping_periods_are_flagged(ledger, batch, regions):
    db01 = batch.policy
    tk = Policy.objects.get(pk=db01.pk)
    tk.pk, tk.code, tk.name = None, "TK01", "特困人员救助供养"
    tk.save()
    Policy.objects.filter(pk=db01.pk).update(exclusive_codes=["TK01"])
    other = clone_batch(batch, regions["town1"], "T", policy=tk, period="2026Q4")
    _pay(ledger, other, [add_item(other, 1, "自己", _id(4), OWN, amount_fen=20000)])
    v = py.person_year(ledger.users["sup"], id_number=_id(4), year="2026")
    assert v.people[0].total_fen == 80000
    assert {(c.policy, c.period, c.other_policy, c.other_period) for c in v.conflicts} == {
        (db01.name, "2026-10", "特困人员救助供养", "2026Q4"), (db01.name, "2026-11", "特困人员救助供养", "2026Q4")}
    assert py.months("2026Q4") & py.months("2026-09") == frozenset()


@pytest.mark.parametrize("who,id_no,code", [("zhan", _id(4), "PERSON_YEAR_ROLE"), ("fin", "123", "PERSON_YEAR_ID_INVALID"),
                                            ("fin", "", "PERSON_YEAR_ID_INVALID")])
def test_person_year_refusals(ledger, who, id_no, code):
    with pytest.raises(Refusal) as exc:
        py.person_year(ledger.users[who], id_number=id_no, year="2026")
    assert exc.value.code == code


def test_pages_export_and_api(ledger, client):
    client.force_login(ledger.users["fin"])
    page = client.get(reverse("reports_shared_accounts"), {"year": "2026"})
    assert page.status_code == 200 and "0017" in page.content.decode() and SHARED not in page.content.decode()
    item = BatchItem.objects.filter(name="人1").get().pk
    drill = client.get(reverse("reports_shared_accounts"), {"year": "2026", "item": item})
    assert drill.status_code == 200 and "人3" in drill.content.decode()
    csv = client.get(reverse("reports_shared_accounts_export"), {"year": "2026", "format": "csv"})
    assert csv.status_code == 200 and "0017" in csv.content.decode("utf-8-sig")
    api = client.get("/api/reports/shared-accounts", {"year": "2026"})
    assert api.status_code == 200, api.content
    assert api.json()["rows"][0]["account_last4"] == "0017"
    lines = client.get(f"/api/reports/shared-accounts/{item}/lines", {"year": "2026"})
    assert lines.status_code == 200 and len(lines.json()["rows"]) == 3
    assert client.get("/api/reports/shared-accounts", {"year": "x"}).json()["code"] == "WATCH_YEAR_INVALID"
    year = client.post(reverse("reports_person_year"), {"id_number": _id(4), "year": "2026"})
    assert year.status_code == 200 and "600.00" in year.content.decode()
    api = client.post("/api/reports/person-year", {"id_number": _id(4), "year": "2026"}, content_type="application/json")
    assert api.status_code == 200 and api.json()["people"][0]["total_fen"] == 60000
