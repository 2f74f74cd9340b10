"""漏发 detection (issue 16 §5a, rosters.missing): a person paid last period and missing now is listed with
the reason guessed; one the register marks dead is not; one present now is not; one moved to another
township's batch is not; scope and role are refused with their codes; the page, API and export answer."""
import pytest
from django.db.models import F

from tests.support.factories import add_item, clone_batch, person
from yikatong.core.refusals import Refusal
from yikatong.rosters import missing
from yikatong.rosters.models import Batch, BatchItem


def _id(n: int) -> str:
    return f"1410241950010{n:05d}"


@pytest.fixture
def periods(rw, batch, villages, regions):
    """Last period (2026-10) paid in town1 for five people; this period (2026-11, the fixture's draft batch)
    has two of them, one removed with a reason; a sixth paid in town2 last period, present now in town1."""
    last = clone_batch(batch, regions["town1"], "L", period="2026-10")
    Batch.objects.filter(pk=last.pk).update(state="paid")
    names = ["在册", "漏报", "已故", "剔除", "迁镇"]
    for n, name in enumerate(names, 1):
        add_item(last, n, name, _id(n), f"62284800123450{n:04d}", amount_fen=50000 + n)
    BatchItem.objects.filter(batch=last).update(village=villages["v1"])
    person(villages["v1"], _id(3), "已故", status="deceased")
    person(villages["v1"], _id(2), "漏报")  # in the register, normal: still eligible
    add_item(batch, 1, "在册", _id(1), "622848001234500001")
    removed = add_item(batch, 2, "剔除", _id(4), "622848001234500004")
    BatchItem.objects.filter(pk=removed.pk).update(status="removed", removed_reason="已享受特困供养")
    town2_last = clone_batch(batch, regions["town2"], "L2", period="2026-10")
    Batch.objects.filter(pk=town2_last.pk).update(state="closed")
    add_item(town2_last, 1, "迁入", _id(9), "622848001234500009")
    add_item(batch, 3, "迁入", _id(9), "622848001234500009")  # moved to town1: present this period
    # an approved-then-refused draft last period does not count
    draft_last = clone_batch(batch, regions["town1"], "LD", period="2026-10")
    add_item(draft_last, 1, "草稿", _id(7), "622848001234500007")
    return rw


def _names(comparison):
    return {r["name"]: missing.reason(r) for r in comparison.rows}


@pytest.mark.parametrize("who", ["mz_rev", "zhan", "fin"])
def test_the_missing_are_listed_and_the_dead_and_present_are_not(periods, who):
    c = missing.missing(periods.users[who], policy_code="DB01", period="2026-11")
    assert c.previous == "2026-10"
    assert _names(c) == {"漏报": missing.NOT_IN_ROSTER, "迁镇": missing.NOT_IN_ROSTER,
                         "剔除": f"{missing.REMOVED}：已享受特困供养"}
    rows = list(c.rows)
    assert all("*" in r["id_masked"] for r in rows) and rows[0]["amount_fen"] > 50000
    # town2 has no batch this period (the town1 station does not see town2 at all)
    assert (c.townships_compared, c.townships_without_batch) == (1, 0 if who == "zhan" else 1)


def test_a_township_without_a_batch_this_period_is_not_compared(periods):
    Batch.objects.filter(period="2026-11").update(period="2026-12")
    c = missing.missing(periods.users["fin"], policy_code="DB01", period="2026-11")
    assert list(c.rows) == [] and c.townships_compared == 0


@pytest.mark.parametrize("who,code", [("other_fin", "MISSING_POLICY_UNKNOWN"), ("ny_rev", "MISSING_POLICY_UNKNOWN"),
                                      ("gk", "MISSING_ROLE_NOT_ALLOWED"), ("cun", "MISSING_ROLE_NOT_ALLOWED")])
def test_out_of_scope_or_role_is_refused(periods, who, code):
    users = periods.users
    if who == "gk":
        from yikatong.accounts.roles import Role
        periods.user("gk", "czj", Role.TREASURY)
    with pytest.raises(Refusal) as exc:
        missing.missing(users[who], policy_code="DB01", period="2026-11")
    assert exc.value.code == code


@pytest.mark.parametrize("period,code", [("2026Q4", "PERIOD_FREQUENCY_MISMATCH"), ("", "MISSING_INPUT_REQUIRED"),
                                         ("2026-13", "PERIOD_FORMAT_INVALID")])
def test_a_period_outside_the_cycle_is_refused(periods, period, code):
    with pytest.raises(Exception) as exc:
        missing.missing(periods.users["fin"], policy_code="DB01", period=period)
    assert getattr(exc.value, "code", None) == code


@pytest.mark.parametrize("freq,period,prev", [("monthly", "2026-01", "2025-12"), ("monthly", "2026-11", "2026-10"),
                                              ("quarterly", "2026Q1", "2025Q4"), ("quarterly", "2026Q3", "2026Q2"),
                                              ("yearly", "2026", "2025")])
def test_previous_period_follows_the_cycle(freq, period, prev):
    assert missing.previous_period(freq, period) == prev


def test_page_api_and_export(periods, client):
    client.force_login(periods.users["mz_rev"])
    page = client.get("/rosters/missing/", {"policy": "DB01", "period": "2026-11"})
    assert page.status_code == 200 and "漏报" in page.content.decode() and _id(2) not in page.content.decode()
    api = client.get("/api/rosters/missing", {"policy": "DB01", "period": "2026-11"}).json()
    assert api["previous"] == "2026-10" and api["count"] == 3 and {r["name"] for r in api["rows"]} >= {"漏报"}
    csv = client.get("/rosters/missing/export/", {"policy": "DB01", "period": "2026-11", "format": "csv"})
    assert csv.status_code == 200 and "漏报" in csv.content.decode("utf-8-sig") and _id(2) not in csv.content.decode("utf-8-sig")
    xlsx = client.get("/api/rosters/missing/export", {"policy": "DB01", "period": "2026-11"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    client.force_login(periods.users["other_fin"])
    resp = client.get("/api/rosters/missing", {"policy": "DB01", "period": "2026-11"})
    assert resp.status_code == 400 and resp.json()["code"] == "MISSING_POLICY_UNKNOWN"


def test_the_page_reports_a_refusal_with_its_code(periods, client):
    client.force_login(periods.users["zhan"])
    resp = client.get("/rosters/missing/", {"policy": "DB01", "period": "2026Q4"})
    assert resp.status_code == 400 and "PERIOD_FREQUENCY_MISMATCH" in resp.content.decode()
    client.force_login(periods.users["cun"])
    assert client.get("/rosters/missing/").status_code == 403
