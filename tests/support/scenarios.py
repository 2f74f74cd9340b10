"""Scenarios: objects brought to a state through the real services and transitions, the way users get
them there (a published catalogue, a county with a quota, a batch walked to approval, a payment round
answered by the simulated bank, a roster with planted anomalies).

Each builder is a plain function; the root conftest.py wraps the common ones as fixtures (world, rw,
batch, approved, pw, planted).
"""
from __future__ import annotations

import datetime

from django.db.models import Model
from django.utils import timezone

from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role

from . import factories
from .env import bank_boxes
from .factories import World, add_item, bad_card, bad_id, build_world, clone_batch, make_spec, person, reference, uscc

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PHONE = "0357-6221234"  # the supervision phone (监督电话) shown on a notice


# --- catalogue -----------------------------------------------------------------------------------------

def publish(world, region_key, finance, upper, specs, *, year=2026):
    """Create, fill, submit, file and publish a catalogue through the services."""
    from yikatong.policies import services

    actor = world.users[finance]
    catalogue = services.catalogue_create(actor=actor, region=world.regions[region_key], year=year)
    for spec in specs:
        services.policy_add(actor=actor, catalogue=catalogue, spec=spec)
    services.catalogue_transition(actor=actor, catalogue=catalogue, action="submit")
    services.catalogue_transition(actor=world.users[upper], catalogue=catalogue, action="file")
    return services.catalogue_transition(actor=world.users[upper], catalogue=catalogue, action="publish")


# --- rosters -------------------------------------------------------------------------------------------

def roster_world(regions) -> World:
    """build_world plus a township station and finance office (users zhan, czs), a published county
    catalogue with one monthly policy (DB01, 500 yuan/person, 民政局) as world.policy, and a quota."""
    from yikatong.funds.services.quotas import quota_receive

    w = build_world(regions)
    type(w.orgs["mz"]).objects.filter(pk=w.orgs["mz"].pk).update(line="mz")
    w.org("station", "大槐树镇民政办", OrgKind.TOWNSHIP_STATION, "town1", parent=w.orgs["mz"])
    w.org("fin_office", "大槐树镇财政所", OrgKind.TOWNSHIP_FINANCE, "town1")
    w.user("zhan", "station", Role.TOWNSHIP_OPERATOR)
    w.user("czs", "fin_office", Role.TOWNSHIP_FINANCE)
    catalogue = publish(w, "county", "fin", "city_fin", [make_spec("DB01", w.orgs["mz"], name="城乡居民最低生活保障")])
    w.policy = catalogue.policies.get(code="DB01")
    quota_receive(actor=w.users["fin"], region=regions["county"], doc_number="洪财社〔2026〕1号", issuing_level="county",
                  received_on=datetime.date(2026, 1, 10), policy=w.policy, year=2026,
                  amounts_fen={"county_fen": 100_000_000})
    return w


def draft_batch(rw, regions, *, period: str = "2026-11"):
    """A draft batch of rw.policy for town1, created by the station operator."""
    from yikatong.rosters import services

    return services.batch_create(actor=rw.users["zhan"], policy=rw.policy, period=period, region=regions["town1"])


def notice_window(days: int) -> tuple[datetime.date, datetime.date]:
    """A notice of `days` working days that ended yesterday or earlier."""
    from yikatong.core import calendar

    end = timezone.localdate() - datetime.timedelta(days=1)
    while not calendar.is_workday(end):
        end -= datetime.timedelta(days=1)
    start = end
    counted = 1
    while counted < days:
        start -= datetime.timedelta(days=1)
        if calendar.is_workday(start):
            counted += 1
    return start, end


def entered_notice_on(batch, day: datetime.date) -> None:
    """Test time travel: the batch entered its notice step on `day` (a notice may not start earlier)."""
    from yikatong.rosters.models import Batch

    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
    Batch.objects.filter(pk=batch.pk).update(state_since=at)


def assembly(day: datetime.date) -> dict:
    """The reading of a notice at the villagers' assembly (seed 003), on `day`."""
    return {"assembly_on": day, "assembly_place": "村委会会议室", "assembly_attendees": 86}


def record_notices(batch, user, profile, days: int | None = None):
    """Every notice the profile requires (village and/or township), of `days` working days (default the
    profile's minimum) ended yesterday or earlier, with proof and supervision phone; the batch is
    taken to have entered the notice step on the first day."""
    from yikatong.rosters import notices as notice_services
    from yikatong.rosters import services

    days = days or max(profile.notice_min_working_days or 1, 1)
    start, end = notice_window(days)
    entered_notice_on(batch, start)
    notices = []
    for level in profile.notice_levels or ("village",):
        proof = services.attachment_add(actor=user, batch_id=batch.pk, kind="notice_photo", filename=f"{level}.png",
                                        data=PNG)
        notices.append(notice_services.notice_record(
            actor=user, batch_id=batch.pk, level=level, start=start, working_days=days, place="村委会公示栏",
            phone=PHONE, read_at_assembly=profile.notice_read_at_assembly, proof_id=proof.pk,
            **(assembly(start) if profile.notice_read_at_assembly else {})))
    assert all(n.end == end for n in notices)
    return notices


def do(batch, user, action, reason=""):
    """One transition of a batch (or reissue) through the engine."""
    from yikatong.rosters import transitions

    return transitions.batch_transition(actor=user, batch_id=batch.pk, action=action, reason=reason)


def walk_to_dept_approval(batch, rw, profile_code: str | None = None, *, seen: list[str] | None = None):
    """Import three good rows and walk the batch through every step of its profile (`profile_code`
    if given, else the batch's own) up to the department's approval, the summary attached. Appends
    each state reached to `seen`; returns the batch."""
    from yikatong.core import calendar
    from yikatong.core.profiles import get_profile
    from yikatong.rosters import services
    from yikatong.rosters.importer.run import roster_import
    from yikatong.rosters.models import Batch
    from yikatong.rosters.tests.files import good_rows, to_csv

    if profile_code is not None:
        Batch.objects.filter(pk=batch.pk).update(profile_code=profile_code)
        batch.refresh_from_db()
    profile = get_profile(batch.profile_code)
    u = rw.users
    seen = [] if seen is None else seen
    roster_import(actor=u["zhan"], batch_id=batch.pk, data=to_csv(good_rows(3)), filename="清册.csv",
                  mode="all_or_nothing")
    if profile.township_verify_working_days:
        batch = do(batch, u["zhan"], "start_verify")
        seen.append(batch.state)
        assert batch.due_date == calendar.add_working_days(timezone.localdate(), profile.township_verify_working_days)
        batch = do(batch, u["zhan"], "verified")
        seen.append(batch.state)
    compare = [("zhan", "send_compare"), ("czs", "compare_pass")] if profile.finance_office_compares_before_review else []
    for user, action in compare + [("zhan", "submit"), ("mz_rev", "approve_notice")]:
        batch = do(batch, u[user], action)
        seen.append(batch.state)
    record_notices(batch, u["zhan"], profile)
    batch = do(batch, u["zhan"], "finish_notice")
    seen.append(batch.state)
    if profile.resubmit_after_notice:
        batch = do(batch, u["czs"], "resubmit")
        seen.append(batch.state)
    services.attachment_add(actor=u["mz_head"], batch_id=batch.pk, kind="summary", filename="汇总表.png", data=PNG)
    return batch


def walk_to_approved(batch, rw, profile_code: str) -> list[str]:
    """walk_to_dept_approval, then the department's and finance's approvals. Returns the states visited."""
    seen = [batch.state]
    batch = walk_to_dept_approval(batch, rw, profile_code, seen=seen)
    u = rw.users
    batch = do(batch, u["mz_head"], "dept_approve")
    seen.append(batch.state)
    batch = do(batch, u["fin"], "finance_approve")
    seen.append(batch.state)
    return seen


def approved_batch(batch, rw, profile_code: str = "000"):
    """`batch` walked to approval under `profile_code`, reloaded."""
    walk_to_approved(batch, rw, profile_code)
    batch.refresh_from_db()
    return batch


# --- payments ------------------------------------------------------------------------------------------

def payment_world(rw, regions, make_user, settings, tmp_path) -> World:
    """rw plus the treasury user gk, the county's agent bank with its agreement (rw.agreement), the bank
    drop box in `tmp_path` and its connector (rw.connector)."""
    settings.YKT_PROFILE = "000"
    connector = bank_boxes(settings, tmp_path)
    admin = make_user("bankadmin", Role.SYSADMIN)
    rw.user("gk", "czj", Role.TREASURY)
    rw.agreement = factories.agent_bank_agreement(admin=admin, payer=rw.orgs["czj"], region=regions["county"])
    rw.connector = connector
    return rw


def pay_round(batch, pw, options=None, connector=None):
    """create -> release -> send -> bank answers -> ingest. Returns (order, answer filename, answer bytes)."""
    from yikatong.payments import services

    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=batch.pk)
    return send_and_answer(order, pw, options, connector)


def answered_by_bank(order, pw, options=None, connector=None):
    """release -> send -> the simulated bank answers. Returns (order, answer), the answer not ingested."""
    from yikatong.banksim.options import SimOptions
    from yikatong.banksim.services import payment_file_process
    from yikatong.payments import services

    u = pw.users
    connector = connector or pw.connector
    services.order_release(actor=u["gk"], order_id=order.pk)
    order = services.order_send(actor=u["gk"], order_id=order.pk, connector=connector)
    data = (connector.outbox / order.payment_file.filename).read_bytes()
    answer = payment_file_process(actor=None, filename=order.payment_file.filename, data=data,
                                  options=options or SimOptions())
    return order, answer


def answered_order(batch, pw, options=None):
    """`batch` walked to approval, its order created, released, sent and answered by the simulated bank
    (not ingested). Returns (order, answer)."""
    from yikatong.payments import services

    walk_to_approved(batch, pw, "000")
    order = services.order_create(actor=pw.users["fin"], batch_id=batch.pk)
    return answered_by_bank(order, pw, options)


def send_and_answer(order, pw, options=None, connector=None):
    """release -> send -> the simulated bank answers -> ingest."""
    from yikatong.payments import services

    order, answer = answered_by_bank(order, pw, options, connector)
    result = services.bank_answer_ingest(actor=pw.users["gk"], filename=answer.filename, data=answer.data)
    assert result.created
    return result.order, answer.filename, answer.data


def walk_reissue_to_approved(reissue, pw):
    """Haicheng error flow: station re-submits -> finance office re-compares -> department -> finance."""
    from yikatong.core.profiles import get_profile

    u = pw.users
    if get_profile(reissue.profile_code).township_verify_working_days:
        reissue = do(reissue, u["zhan"], "start_verify")
        reissue = do(reissue, u["zhan"], "verified")
    compare = [("zhan", "send_compare"), ("czs", "compare_pass")] \
        if get_profile(reissue.profile_code).finance_office_compares_before_review else []
    for user, action in compare + [("zhan", "submit"), ("mz_rev", "approve_reissue"), ("fin", "finance_approve")]:
        reissue = do(reissue, u[user], action)
    assert reissue.state == "approved"
    return reissue


# --- checks --------------------------------------------------------------------------------------------

PLANTED_N = 14
PHONE_SHARED, PHONE_CLEAN = "13900000001", "13900000002"


def planted_roster(rw, batch, regions) -> dict[str, Model | dict]:
    """Batch 1 (town1) with items 1..30 imported or written; batch 2 (town2, same policy and period) holds
    the other side of the cross-batch cases; register and reference data planted so that every built-in
    rule has hits and clean counterparts (the ground truth is checks/tests/conftest.py TRUTH)."""
    from yikatong.policies.models import Policy
    from yikatong.registry.models import Household
    from yikatong.rosters.importer.run import roster_import
    from yikatong.rosters.models import BatchItem
    from yikatong.rosters.tests.files import card, good_rows, id_number, to_csv

    n = PLANTED_N
    Policy.objects.filter(pk=rw.policy.pk).update(means_tested=True, age_min=18, age_max=100)
    run = roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(n)), filename="清册.csv",
                        mode="all_or_nothing")
    assert run.imported, run.message
    items = {i.seq: i for i in batch.items.all()}
    v1, county = regions["village1"], regions["county"]
    other = clone_batch(batch, regions["town2"], "T2")
    add_item(other, 1, "对象2", id_number(2), card(99))  # DUP_PAYMENT: same person, policy, period
    add_item(other, 2, "外人", id_number(50), card(3))  # SHARED_ACCOUNT: item 3's card, unrelated person
    add_item(other, 3, "家人", id_number(51), card(5))  # item 5's card, same household: clean
    hh = Household.objects.create(number="H001", village=v1)
    special = {
        4: dict(status="deceased", since=datetime.date(2026, 6, 1)),  # died before 2026-11
        5: dict(household=hh),
        6: dict(status="deceased", since=datetime.date(2026, 11, 15)),  # died during the period: DECEASED_IN_PERIOD
        9: dict(birth=datetime.date(2015, 3, 1)),  # 11 years old, policy minimum 18
        10: dict(account_status="frozen"),
    }
    for seq in range(1, n + 1):
        person(v1, id_number(seq), f"对象{seq}", account=card(seq), **special.get(seq, {}))
    person(v1, id_number(51), "家人", household=hh)
    BatchItem.objects.filter(pk=items[8].pk).update(amount_fen=60000)  # above 500 yuan × 1
    reference(county, "deaths", [{"id": id_number(7), "date": datetime.date(2026, 9, 1)},
                                 {"id": id_number(14), "date": datetime.date(2026, 12, 2)}])  # 14 dies later: clean
    reference(county, "state_paid", [{"id": id_number(11)}])
    reference(county, "state_paid", [{"id": id_number(14)}], current=False)  # superseded snapshot: clean
    reference(county, "cadres", [{"id": id_number(12), "related": id_number(60)}])
    reference(county, "vehicles", [{"id": id_number(13)}])
    _plant_more(rw, batch, regions)
    return {"batch": batch, "other": other, "items": {i.seq: i for i in batch.items.all()}}


def _plant_more(rw, batch, regions) -> None:
    """Items 15..30 of the planted batch, for the rules on identifiers, holders, exclusive policies,
    residence, phones and amount jumps (each with a clean counterpart)."""
    from yikatong.policies.models import Policy
    from yikatong.regions.models import Region
    from yikatong.rosters.tests.files import card, id_number

    v1 = regions["village1"]
    v2 = Region.objects.create(code="141024101001", name="甘亭村", level=5, parent=regions["town2"])
    add_item(batch, 15, "对象15", bad_id(15), card(15))  # ID_INVALID
    add_item(batch, 16, "对象16", id_number(16), bad_card(16))  # CARD_INVALID
    add_item(batch, 17, "某村股份经济合作社", uscc(), "11014102400000000017", is_org=True)  # organisation: clean
    add_item(batch, 18, "对象18", id_number(18), card(18), holder="王某")  # HOLDER_MISMATCH: holder's name
    add_item(batch, 19, "对象19", id_number(19), card(61))  # HOLDER_MISMATCH: 他人61's registered account
    add_item(batch, 20, "对象20", id_number(20), card(20))  # EXCLUSIVE_POLICY with DB02 below
    add_item(batch, 21, "对象21", id_number(21), card(21))  # NOT_RESIDENT: registered in another township
    add_item(batch, 22, "对象22", id_number(22, "20150301"), card(22))  # NOT_RESIDENT (unregistered), AGE_LIMIT
    for seq in range(23, 27):
        add_item(batch, seq, f"对象{seq}", id_number(seq), card(seq), phone=PHONE_SHARED)  # SHARED_PHONE: 4 > 3
    for seq in range(27, 30):
        add_item(batch, seq, f"对象{seq}", id_number(seq), card(seq), phone=PHONE_CLEAN)  # 3 persons: clean
    add_item(batch, 30, "对象30", id_number(30), card(30))  # AMOUNT_JUMP: 300 → 500 yuan
    person(v1, bad_id(15), "对象15", account=card(15))
    for seq in [16, 18, 19, 20, *range(23, 31)]:
        person(v1, id_number(seq), f"对象{seq}", account=card(seq))
    person(v2, id_number(21), "对象21", account=card(21))
    person(v1, id_number(61), "他人61", account=card(61))
    person(v1, id_number(62), "对象62", account=card(62))
    # a policy exclusive with DB01: paid for the same month (20: hit) and for another month (1: clean)
    excl = Policy.objects.get(pk=rw.policy.pk)
    excl.pk, excl.code, excl.name, excl.exclusive_codes = None, "DB02", "特困人员救助供养", ["DB01"]
    excl.save()
    same = clone_batch(batch, regions["town1"], "X", policy=excl)
    add_item(same, 1, "对象20", id_number(20), card(20))
    add_item(same, 2, "对象62", id_number(62), card(62))
    earlier = clone_batch(batch, regions["town1"], "Y", policy=excl, period="2026-09")
    add_item(earlier, 1, "对象1", id_number(1), card(1))
    # the previous month of DB01: 30 rises by two thirds (hit), 13 by a quarter and 1 not at all (clean)
    prev = clone_batch(batch, regions["town1"], "P", period="2026-10")
    add_item(prev, 1, "对象1", id_number(1), card(1), 50000)
    add_item(prev, 2, "对象13", id_number(13), card(13), 40000)
    add_item(prev, 3, "对象30", id_number(30), card(30), 30000)
