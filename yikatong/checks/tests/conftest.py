"""A roster with planted anomalies of every rule's kind, and the ground truth (item seqs per rule)."""
import datetime as dt

import pytest
from django.utils import timezone

from yikatong.policies.models import Policy
from yikatong.registry.models import BankAccount, Household, Person, ReferenceRecord, ReferenceSnapshot
from yikatong.registry.pii import vault
from yikatong.rosters.importer.run import import_roster
from yikatong.rosters.models import Batch, BatchItem
from yikatong.rosters.tests.conftest import batch, rw  # noqa: F401  (fixtures)
from yikatong.rosters.tests.files import card, good_rows, id_number, to_csv

N = 14
TRUTH = {
    "DUP_PAYMENT": {2},
    "SHARED_ACCOUNT": {3},
    "DECEASED": {4, 7},
    "AMOUNT_STANDARD": {8},
    "AGE_LIMIT": {9},
    "ACCOUNT_INACTIVE": {10},
    "STATE_PAID": {11},
    "CADRE": {12},
    "ASSETS": {13},
}


def clone_batch(batch: Batch, region, code_suffix: str) -> Batch:
    """Another township's batch of the same policy and period (written directly: test data)."""
    return Batch.objects.create(
        code=f"{batch.code}-{code_suffix}", policy=batch.policy, period=batch.period, region=region,
        department=batch.department, profile_code=batch.profile_code, state="draft", state_since=timezone.now(),
        created_by=batch.created_by,
    )


def add_item(batch: Batch, seq: int, name: str, id_no: str, account: str, amount_fen: int = 50000) -> BatchItem:
    v = vault()
    return BatchItem.objects.create(
        batch=batch, seq=seq, item_ref=f"{batch.code}-{seq:06d}", name=name, id_enc=v.encrypt(id_no),
        id_bidx=v.id_index(id_no), id_masked="1410**********0000", account_enc=v.encrypt(account),
        account_bidx=v.index(account), account_masked="6228****0000", amount_fen=amount_fen, standard_fen=50000,
    )


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
                                       name=r.get("name", ""), related_id_bidx=r.get("related", ""),
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
        6: dict(status="deceased", since=dt.date(2026, 11, 15)),  # died during the period: clean
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
    reference(county, "cadres", [{"id": id_number(12), "related": vault().id_index(id_number(60))}])
    reference(county, "vehicles", [{"id": id_number(13)}])
    return {"batch": batch, "other": other, "items": items}
