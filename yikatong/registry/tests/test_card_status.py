"""社保卡状态 (issue 14.4): a person's card status from the 人社 snapshot and from bank results (history rows
with source and date), activation follow-ups, the pre-payment list per township with its export, scope."""
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.support.api import bearer, call
from tests.support.factories import PASSWORD
from tests.support.factories import person as make_person
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core.crypto import vault
from yikatong.core.refusals import Refusal
from yikatong.registry import services
from yikatong.registry.card_status import card_status
from yikatong.registry.choices import AccountStatus, DatasetKind
from yikatong.registry.models import AccountEvent, ReferenceRecord, ReferenceSnapshot
from yikatong.rosters.tests.files import card, id_number

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 10, 31)


def ssc_snapshot(region, rows, *, as_of=AS_OF):
    """A 人社 社保卡状态 snapshot: rows of (id number, status, account number or "")."""
    v = vault()
    snap = ReferenceSnapshot.objects.create(dataset=DatasetKind.SSC_STATUS, source_agency="人力资源和社会保障局",
                                            as_of=as_of, region=region, row_count=len(rows))
    for id_no, status, account in rows:
        ReferenceRecord.objects.create(snapshot=snap, id_bidx=v.id_index(id_no), id_enc=v.encrypt(id_no), name="某人",
                                       status=status, account_bidx=v.index(account) if account else "",
                                       account_enc=v.encrypt(account) if account else "")
    return snap


@pytest.fixture
def town(villages, regions, make_user):
    """Four persons of town1 (1: card fine, 2: not activated per 人社, 3: frozen in the register, 4: 人社 row about
    an old card) and one of town2 (5: lost); a station operator of each township."""
    v1, v3 = villages["v1"], villages["v3"]
    people = {
        1: make_person(v1, id_number(1), "甲一", account=card(1)),
        2: make_person(v1, id_number(2), "甲二", account=card(2)),
        3: make_person(villages["v2"], id_number(3), "甲三", account=card(3), account_status=AccountStatus.FROZEN),
        4: make_person(v1, id_number(4), "甲四", account=card(4)),
        5: make_person(v3, id_number(5), "乙五", account=card(5)),
    }
    ssc_snapshot(regions["county"], [(id_number(2), AccountStatus.UNACTIVATED, card(2)),
                                     (id_number(4), AccountStatus.LOST, card(44)),
                                     (id_number(5), AccountStatus.LOST, "")])
    ops = {
        "op1": make_user("op1", Role.TOWNSHIP_OPERATOR, region=regions["town1"], kind=OrgKind.TOWNSHIP_STATION),
        "op2": make_user("op2", Role.TOWNSHIP_OPERATOR, region=regions["town2"], kind=OrgKind.TOWNSHIP_STATION),
        "county": make_user("mzj", Role.DEPT_REVIEWER, kind=OrgKind.LINE_DEPARTMENT),
        "sup": make_user("sj", Role.SUPERVISOR, region=regions["town1"]),
    }
    return people, ops


def test_status_from_the_reference_snapshot(town):
    people, _ = town
    s = card_status(people[2])
    assert (s.status, s.since, s.inactive) == (AccountStatus.UNACTIVATED, AS_OF, True)
    assert "人力资源和社会保障局" in s.source and "2026-10-31" in s.source
    assert card_status(people[1]).status == AccountStatus.ACTIVE  # no row: the register's own status
    assert card_status(people[3]).status == AccountStatus.FROZEN
    assert card_status(people[4]).status == AccountStatus.ACTIVE  # the row names another (old) card: ignored
    assert card_status(people[5]).status == AccountStatus.LOST  # a row without a card number applies


def test_bank_failure_sets_the_status_and_a_later_payment_activates(town):
    people, _ = town
    p = people[1]
    bidx = vault().index(card(1))
    day = timezone.localdate()
    changed = services.card_status_from_bank(actor=None, source="银行回盘（批次号 B1）", effective=day,
                                             failures=[(p.pk, bidx, AccountStatus.FROZEN)],
                                             paid=[(people[2].pk, vault().index(card(2)))])
    assert changed == {"failed": 1, "activated": 1}
    s = card_status(p)
    assert (s.status, s.since, s.source) == (AccountStatus.FROZEN, day, "银行回盘（批次号 B1）")
    ev = AccountEvent.objects.get(account__person=p)
    assert (ev.kind, ev.status_before, ev.status_after) == ("status", "active", "frozen")
    # person 2 was paid after the 人社 snapshot said "not activated": the newer record wins
    assert card_status(people[2]).status == AccountStatus.ACTIVE
    audit = AuditEvent.objects.get(action="registry.card_status.bank")
    assert audit.after["failed"] == 1 and card(1) not in str(audit.after)
    services.card_status_from_bank(actor=None, source="银行回盘（批次号 B2）", effective=day, paid=[(p.pk, bidx)])
    assert card_status(p).status == AccountStatus.ACTIVE
    # a result about another number than the current account changes nothing
    assert services.card_status_from_bank(actor=None, source="x", effective=day,
                                          failures=[(p.pk, vault().index(card(9)), "closed")]) == {
        "failed": 0, "activated": 0}


def test_bank_answer_e05_reaches_the_register_through_the_ingest(pw, batch, villages, django_capture_on_commit_callbacks):
    """A real bank answer: the failed line (E05) sets the person's card to not activated, after the commit."""
    from tests.support.scenarios import pay_round, walk_to_approved
    from yikatong.banksim.options import SimOptions
    from yikatong.rosters.models import BatchItem

    walk_to_approved(batch, pw, "000")
    v = vault()
    item = batch.items.order_by("seq")[1]
    p = make_person(villages["v1"], v.decrypt(item.id_enc), item.name, account=v.decrypt(item.account_enc))
    BatchItem.objects.filter(pk=item.pk).update(person=p)
    with django_capture_on_commit_callbacks(execute=True):
        pay_round(batch, pw, SimOptions(fail_ref={item.item_ref: "E05"}))
    s = card_status(p)
    assert s.status == AccountStatus.UNACTIVATED and s.source.startswith("银行回盘（批次号")


def test_activation_follow_up(town):
    people, ops = town
    p = people[3]
    f = services.card_followup_record(actor=ops["op1"], person_id=p.pk, contacted_on=timezone.localdate(),
                                      result="pending", note="电话通知")
    assert f.account == p.accounts.get() and card_status(p).status == AccountStatus.FROZEN
    services.card_followup_record(actor=ops["op1"], person_id=p.pk, contacted_on=timezone.localdate(),
                                  result="activated", note="本人已到网点激活")
    s = card_status(p)
    assert s.status == AccountStatus.ACTIVE and s.source == "激活跟进：本人已到网点激活"
    assert list(AccountEvent.objects.filter(account__person=p).values_list("status_after", flat=True)) == ["active"]
    assert AuditEvent.objects.filter(action="registry.card_followup").count() == 2
    for kw, code in [({"result": "other"}, "CARD_FOLLOWUP_NOTE_REQUIRED"), ({"result": "x"}, "CARD_FOLLOWUP_RESULT_UNKNOWN"),
                     ({"result": "pending", "contacted_on": timezone.localdate() + dt.timedelta(days=1)},
                      "CARD_FOLLOWUP_FUTURE_DATE")]:
        with pytest.raises(ValidationError) as exc:
            services.card_followup_record(**{"actor": ops["op1"], "person_id": p.pk,
                                             "contacted_on": timezone.localdate(), **kw})
        assert exc.value.code == code
    with pytest.raises(Refusal) as exc:
        services.card_followup_record(actor=ops["sup"], person_id=p.pk, contacted_on=timezone.localdate(), result="pending")
    assert exc.value.code == "REGISTRY_ROLE_NOT_ALLOWED"


def test_pre_payment_list_page_export_and_todo(client, town, regions):
    people, ops = town
    from python_calamine import CalamineWorkbook

    from yikatong.web.todo import todos_for

    assert client.login(username="op1", password=PASSWORD)
    page = client.get(reverse("registry_cards")).content.decode()
    assert "甲二" in page and "甲三" in page and "甲一" not in page and "甲四" not in page and "乙五" not in page
    assert card(2) not in page and "未激活" in page and "冻结" in page
    resp = client.get(reverse("registry_cards_export"))
    assert resp.status_code == 200 and "no-store" in resp["Cache-Control"]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(resp.content)).get_sheet_by_index(0).to_python()[2:]
    assert [(r[1], r[8]) for r in rows] == [("甲二", "未激活"), ("甲三", "冻结")]
    assert all(card(n) not in str(rows) and id_number(n) not in str(rows) for n in (2, 3))
    assert AuditEvent.objects.filter(action="export.registry_cards_xlsx").exists()
    assert [t.title for t in todos_for(ops["op1"]) if t.category == "社保卡"] == [
        "社保卡未激活、冻结、挂失或销户：2 人，请在发放前通知激活或办理账户变更"]
    # a county user chooses the township; a township outside the scope is not listed
    client.logout()
    assert client.login(username="mzj", password=PASSWORD)
    assert "请选择一个乡镇" in client.get(reverse("registry_cards")).content.decode()
    page = client.get(reverse("registry_cards"), {"township": regions["town2"].code}).content.decode()
    assert "乙五" in page and "甲二" not in page


def test_scope_is_404(client, town):
    people, ops = town
    assert client.login(username="op2", password=PASSWORD)
    p = people[2]
    assert client.post(reverse("registry_card_followup", args=[p.pk]),
                       {"contacted_on": "2026-11-01", "result": "activated"}).status_code == 404
    assert client.get(reverse("registry_account_history", args=[p.pk])).status_code == 404
    assert "甲二" not in client.get(reverse("registry_cards")).content.decode()
    resp = call(client, "post", f"/api/registry/persons/{p.pk}/card-followups", bearer(ops["op2"]),
                {"contacted_on": "2026-11-01", "result": "activated"})
    assert resp.status_code == 404 and resp.json()["code"] == "PERSON_NOT_IN_SCOPE"
    assert card_status(p).status == AccountStatus.UNACTIVATED


def test_api_list_and_follow_up(client, town):
    people, ops = town
    auth = bearer(ops["op1"])
    rows = call(client, "get", "/api/registry/cards", auth).json()
    assert [(r["name"], r["status"]) for r in rows] == [("甲二", "unactivated"), ("甲三", "frozen")]
    resp = call(client, "post", f"/api/registry/persons/{people[2].pk}/card-followups", auth,
                {"contacted_on": timezone.localdate().isoformat(), "result": "activated", "note": "已激活"})
    assert resp.status_code == 200 and resp.json()["card_status"] == "active"
    history = call(client, "get", f"/api/registry/persons/{people[2].pk}/accounts", auth).json()
    assert history["card_status"] == "active" and card(2) not in str(history)
    county = call(client, "get", "/api/registry/cards", bearer(ops["county"]))
    assert county.status_code == 400 and county.json()["code"] == "CARD_LIST_TOWNSHIP_REQUIRED"


def test_batch_pre_payment_check(client, rw, batch, villages, regions, make_user):
    """The items of a batch whose person's card is unusable: page, xlsx and API, through the batch's scope."""
    from python_calamine import CalamineWorkbook

    from tests.support.factories import add_item
    from yikatong.rosters.models import BatchItem

    ok = make_person(villages["v1"], id_number(11), "丙一", account=card(11))
    frozen = make_person(villages["v1"], id_number(12), "丙二", account=card(12), account_status=AccountStatus.FROZEN)
    for seq, p in ((1, ok), (2, frozen)):
        item = add_item(batch, seq, p.name, id_number(10 + seq), card(10 + seq))
        BatchItem.objects.filter(pk=item.pk).update(person=p)
    assert client.login(username="zhan", password=PASSWORD)
    page = client.get(reverse("batch_cards", args=[batch.pk])).content.decode()
    assert "丙二" in page and "丙一" not in page and card(12) not in page
    rows = CalamineWorkbook.from_filelike(io.BytesIO(client.get(reverse("batch_cards_xlsx", args=[batch.pk])).content)
                                          ).get_sheet_by_index(0).to_python()[2:]
    assert [(r[2], r[7]) for r in rows] == [("丙二", "冻结")] and card(12) not in str(rows)
    api = call(client, "get", f"/api/rosters/batches/{batch.pk}/cards", bearer(rw.users["zhan"])).json()
    assert [(r["name"], r["status"]) for r in api] == [("丙二", "frozen")]
    op2 = make_user("op2b", Role.TOWNSHIP_OPERATOR, region=regions["town2"], kind=OrgKind.TOWNSHIP_STATION)
    assert call(client, "get", f"/api/rosters/batches/{batch.pk}/cards", bearer(op2)).status_code == 404
    client.logout()
    assert client.login(username="op2b", password=PASSWORD)
    assert client.get(reverse("batch_cards", args=[batch.pk])).status_code == 404


def test_a_paid_line_reactivates_through_the_order(pw, batch, villages):
    """order_card_results: a paid line whose person's card the register holds frozen sets it active; the
    other paid persons are not even read."""
    from tests.support.scenarios import pay_round, walk_to_approved
    from yikatong.payments.card_results import order_card_results
    from yikatong.rosters.models import BatchItem

    walk_to_approved(batch, pw, "000")
    v = vault()
    item = batch.items.order_by("seq").first()
    p = make_person(villages["v1"], v.decrypt(item.id_enc), item.name, account=v.decrypt(item.account_enc),
                    account_status=AccountStatus.FROZEN)
    BatchItem.objects.filter(pk=item.pk).update(person=p)
    order, _, _ = pay_round(batch, pw)
    assert order_card_results(actor=None, order_id=order.pk) == {"failed": 0, "activated": 1}
    assert card_status(p).status == AccountStatus.ACTIVE
    assert order_card_results(actor=None, order_id=order.pk) == {"failed": 0, "activated": 0}  # idempotent
