"""A roster with planted anomalies of every rule's kind, and the ground truth (item seqs per rule)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from yikatong.checks.rules import BUILTIN
from yikatong.policies.models import Policy
from yikatong.regions.models import Region
from yikatong.registry.models import BankAccount, Household, Person, ReferenceRecord, ReferenceSnapshot
from yikatong.core.crypto import vault
from yikatong.rosters.importer.rows import ItemDraft
from yikatong.rosters.importer.run import import_roster, item_values
from yikatong.rosters.models import Batch, BatchItem
from yikatong.rosters.tests.conftest import batch, rw  # noqa: F401  (fixtures)
from yikatong.rosters.tests.files import card, good_rows, id_number, to_csv

N = 14
TRUTH = {
    "DUP_PAYMENT": {2},
    "SHARED_ACCOUNT": {3},
    "DECEASED": {4, 7},
    "DECEASED_IN_PERIOD": {6},  # died on 2026-11-15, inside the period 2026-11: a warning, not a block
    "AMOUNT_STANDARD": {8},
    "AGE_LIMIT": {9, 22},  # 22: no register person, 11 years old by the birth date in its ID number
    "ACCOUNT_INACTIVE": {10},
    "STATE_PAID": {11},
    "CADRE": {12},
    "ASSETS": {13},
    "ID_INVALID": {15},
    "CARD_INVALID": {16},
    "HOLDER_MISMATCH": {18, 19},
    "EXCLUSIVE_POLICY": {20},
    "NOT_RESIDENT": {21, 22},
    "SHARED_PHONE": {23, 24, 25, 26},
    "AMOUNT_JUMP": {30},
}
# findings of blocking severity in the planted batch (one finding per item and rule there)
BLOCKING = sum(len(TRUTH[r.code]) for r in BUILTIN if r.severity == "block")
PHONE_SHARED, PHONE_CLEAN = "13900000001", "13900000002"


def bad_id(seq: int) -> str:
    """A resident ID number whose check digit is wrong."""
    good = id_number(seq)
    return good[:17] + ("0" if good[17] != "0" else "1")


def bad_card(seq: int) -> str:
    good = card(seq)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


def uscc(body: str = "91141024MA0000001") -> str:
    from stdnum.cn.uscc import calc_check_digit

    return body + calc_check_digit(body)


def clone_batch(batch: Batch, region, code_suffix: str, *, policy=None, period: str | None = None) -> Batch:
    """Another batch of the same policy and period by default (written directly: test data)."""
    return Batch.objects.create(
        code=f"{batch.code}-{code_suffix}", policy=policy or batch.policy, period=period or batch.period, region=region,
        department=batch.department, profile_code=batch.profile_code, state="draft", state_since=timezone.now(),
        created_by=batch.created_by,
    )


def add_item(batch: Batch, seq: int, name: str, id_no: str, account: str, amount_fen: int = 50000, *,
             phone: str = "", holder: str | None = None, is_org: bool = False) -> BatchItem:
    """An item written through the roster's one builder of column values (check flags included),
    bypassing validation: the way an item from another path (API, legacy data) reaches the table."""
    draft = ItemDraft(line=seq, no=str(seq), name=name, id_number=id_no, is_org=is_org, village_code="",
                      household_no="", relation="", phone=phone, bank_name="", account_no=account,
                      account_holder=name if holder is None else holder, quantity=Decimal(1), standard_fen=50000,
                      amount_fen=amount_fen, memo="")
    return BatchItem.objects.create(**item_values(batch, seq, draft))


def person(village, id_no: str, name: str, *, birth=dt.date(1950, 1, 1), status="normal", since=None, household=None,
           account: str | None = None, account_status="active") -> Person:
    v = vault()
    p = Person.objects.create(name=name, id_enc=v.encrypt(id_no), id_bidx=v.id_index(id_no),
                              id_mask_bidx=v.id_mask_index(id_no), birth_date=birth, sex="1", village=village,
                              status=status, status_since=since, household=household,
                              relation="户主" if household else "")
    if account:
        BankAccount.objects.create(person=p, number_enc=v.encrypt(account), number_bidx=v.index(account),
                                   holder_name=name, status=account_status)
    return p


def reference(region, dataset: str, rows: list[dict], *, current=True) -> ReferenceSnapshot:
    v = vault()
    snap = ReferenceSnapshot.objects.create(dataset=dataset, source_agency="县直部门", as_of=dt.date(2026, 10, 31),
                                            region=region, row_count=len(rows), is_current=current)
    for r in rows:
        ReferenceRecord.objects.create(snapshot=snap, id_bidx=v.id_index(r["id"]), id_enc=v.encrypt(r["id"]),
                                       name=r.get("name", ""),
                                       related_id_bidx=v.id_index(r["related"]) if r.get("related") else "",
                                       related_id_enc=v.encrypt(r.get("related", "")),
                                       event_date=r.get("date"))
    return snap


@pytest.fixture
def planted(rw, batch, regions):
    """Batch 1 (town1) with items 1..14; batch 2 (town2, same policy and period) holds the other
    side of the cross-batch cases. Registry and reference data planted per TRUTH."""
    Policy.objects.filter(pk=rw.policy.pk).update(means_tested=True, age_min=18, age_max=100)
    run = import_roster(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(N)), filename="清册.csv",
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
        4: dict(status="deceased", since=dt.date(2026, 6, 1)),  # died before 2026-11
        5: dict(household=hh),
        6: dict(status="deceased", since=dt.date(2026, 11, 15)),  # died during the period: DECEASED_IN_PERIOD
        9: dict(birth=dt.date(2015, 3, 1)),  # 11 years old, policy minimum 18
        10: dict(account_status="frozen"),
    }
    for seq in range(1, N + 1):
        person(v1, id_number(seq), f"对象{seq}", account=card(seq), **special.get(seq, {}))
    person(v1, id_number(51), "家人", household=hh)
    BatchItem.objects.filter(pk=items[8].pk).update(amount_fen=60000)  # above 500 yuan × 1
    reference(county, "deaths", [{"id": id_number(7), "date": dt.date(2026, 9, 1)},
                                 {"id": id_number(14), "date": dt.date(2026, 12, 2)}])  # 14 dies later: clean
    reference(county, "state_paid", [{"id": id_number(11)}])
    reference(county, "state_paid", [{"id": id_number(14)}], current=False)  # superseded snapshot: clean
    reference(county, "cadres", [{"id": id_number(12), "related": id_number(60)}])
    reference(county, "vehicles", [{"id": id_number(13)}])
    _plant_more(rw, batch, regions)
    return {"batch": batch, "other": other, "items": {i.seq: i for i in batch.items.all()}}


def _plant_more(rw, batch: Batch, regions) -> None:
    """Items 15..30 of the planted batch, for the rules on identifiers, holders, exclusive policies,
    residence, phones and amount jumps (each with a clean counterpart)."""
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
