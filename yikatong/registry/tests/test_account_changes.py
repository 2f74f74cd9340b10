"""账户变更申请 (issue 14.4): requested by the station, decided by the township finance office (never the
requester), applied on its effective date with history; a reissue pays into the applied change's account,
never into one a pending request names."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.support.factories import person as make_person
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core.crypto import vault
from yikatong.core.refusals import Refusal
from yikatong.registry import services
from yikatong.registry.choices import AccountChangeState, AccountStatus
from yikatong.registry.models import AccountChangeRequest
from yikatong.rosters.tests.files import card, id_number

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def people(villages, regions, make_user):
    town1, town2 = regions["town1"], regions["town2"]
    return {
        "p": make_person(villages["v1"], id_number(1), "张三", account=card(1)),
        "op": make_user("op1", Role.TOWNSHIP_OPERATOR, region=town1, kind=OrgKind.TOWNSHIP_STATION),
        "fin": make_user("czs1", Role.TOWNSHIP_FINANCE, region=town1, kind=OrgKind.TOWNSHIP_FINANCE),
        "both": make_user("both1", Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_FINANCE, region=town1,
                          kind=OrgKind.TOWNSHIP_FINANCE),
        "op2": make_user("op2", Role.TOWNSHIP_OPERATOR, region=town2, kind=OrgKind.TOWNSHIP_STATION),
        "fin2": make_user("czs2", Role.TOWNSHIP_FINANCE, region=town2, kind=OrgKind.TOWNSHIP_FINANCE),
    }


def _request(actor, person, *, seq=2, effective=None, **kw):
    return services.account_change_request(
        actor=actor, person_id=person.pk, account_no=card(seq), bank="中国农业银行", reason="原卡遗失，已补办新卡",
        effective_date=effective or timezone.localdate(), **kw)


def test_request_stores_the_number_encrypted_and_masked_in_audit(people):
    p = people["p"]
    req = _request(people["op"], p, attachment=PNG, attachment_name="申请表.png")
    assert req.state == AccountChangeState.PENDING and req.old_account == p.accounts.get(is_current=True)
    assert vault().decrypt(req.number_enc) == card(2) and req.number_bidx == vault().index(card(2))
    assert req.attachment() == PNG and req.attachment_type == "image/png"
    event = AuditEvent.objects.get(action="registry.account_change.request")
    assert card(2) not in str(event.after) and event.after["account"] == req.number_masked
    with pytest.raises(ValidationError) as exc:  # one open request per person
        _request(people["op"], p, seq=3)
    assert exc.value.code == "ACCOUNT_CHANGE_PENDING_EXISTS"


@pytest.mark.parametrize("over, code", [
    ({"account_no": "123"}, "ACCOUNT_CHANGE_ACCOUNT_INVALID"),
    ({"account_no": card(1)}, "ACCOUNT_CHANGE_SAME_ACCOUNT"),
    ({"bank": " "}, "ACCOUNT_CHANGE_BANK_REQUIRED"),
    ({"reason": ""}, "ACCOUNT_CHANGE_REASON_REQUIRED"),
])
def test_request_refusals_by_code(people, over, code):
    args = dict(actor=people["op"], person_id=people["p"].pk, account_no=card(2), bank="农行", reason="换卡",
                effective_date=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        services.account_change_request(**{**args, **over})
    assert exc.value.code == code
    assert not AccountChangeRequest.objects.exists()


def test_role_and_scope(people):
    with pytest.raises(Refusal) as exc:  # the finance office decides, it does not request
        _request(people["fin"], people["p"])
    assert exc.value.code == "REGISTRY_ROLE_NOT_ALLOWED"
    with pytest.raises(Refusal) as exc:  # another township's station: the person is not named
        _request(people["op2"], people["p"])
    assert exc.value.code == "PERSON_NOT_IN_SCOPE" and exc.value.http_status == 404
    req = _request(people["op"], people["p"])
    with pytest.raises(Refusal) as exc:
        services.account_change_decide(actor=people["fin2"], request_id=req.pk, approve=True)
    assert exc.value.code == "ACCOUNT_CHANGE_NOT_IN_SCOPE" and exc.value.http_status == 404


def test_four_eyes_the_requester_never_decides(people):
    req = _request(people["both"], people["p"])
    for approve in (True, False):
        with pytest.raises(Refusal) as exc:
            services.account_change_decide(actor=people["both"], request_id=req.pk, approve=approve, reason="自审")
        assert exc.value.code == "ACCOUNT_CHANGE_FOUR_EYES"
    req.refresh_from_db()
    assert req.state == AccountChangeState.PENDING


def test_refuse_needs_a_reason_and_changes_no_account(people):
    p = people["p"]
    req = _request(people["op"], p)
    with pytest.raises(Refusal) as exc:
        services.account_change_decide(actor=people["fin"], request_id=req.pk, approve=False)
    assert exc.value.code == "REASON_REQUIRED"
    req = services.account_change_decide(actor=people["fin"], request_id=req.pk, approve=False, reason="户名与身份证不符")
    assert req.state == AccountChangeState.REFUSED and req.decision_reason == "户名与身份证不符"
    assert req.decided_by == people["fin"]
    assert p.accounts.get(is_current=True).number_bidx == vault().index(card(1))
    _request(people["op"], p)  # a refused request is settled: a new one may be filed


def test_approve_today_closes_the_old_account_and_opens_the_new_one(people):
    p = people["p"]
    old = p.accounts.get(is_current=True)
    req = _request(people["op"], p)
    req = services.account_change_decide(actor=people["fin"], request_id=req.pk, approve=True)
    assert req.state == AccountChangeState.APPLIED and req.applied_at is not None
    new = p.accounts.get(is_current=True)
    assert req.new_account == new and new.pk != old.pk and vault().decrypt(new.number_enc) == card(2)
    assert new.bank == "中国农业银行" and new.status == AccountStatus.ACTIVE
    old.refresh_from_db()
    assert not old.is_current and old.status == AccountStatus.CLOSED and old.closed_on == req.effective_date
    assert [e.kind for e in old.events.all()] == ["closed"] and [e.kind for e in new.events.all()] == ["opened"]
    assert new.events.get().source.startswith(f"账户变更申请 #{req.pk}")
    assert p.events.get().kind == "account_change"
    actions = list(AuditEvent.objects.filter(object_id=str(req.pk), object_type__contains="accountchange")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["registry.account_change.request", "registry.account_change.approve",
                       "registry.account_change.apply"]
    assert not AuditEvent.objects.filter(after__icontains=card(2)).exists()


def test_future_effective_date_waits_for_the_day(people):
    p = people["p"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    req = _request(people["op"], p, effective=tomorrow)
    req = services.account_change_decide(actor=people["fin"], request_id=req.pk, approve=True)
    assert req.state == AccountChangeState.APPROVED and req.new_account is None
    assert services.account_changes_apply_due() == 0
    assert p.accounts.get(is_current=True).number_bidx == vault().index(card(1))
    AccountChangeRequest.objects.filter(pk=req.pk).update(effective_date=timezone.localdate())  # the day came
    assert services.account_changes_apply_due() == 1
    assert p.accounts.get(is_current=True).number_bidx == vault().index(card(2))


# --- a reissue reads the account an applied change made current ------------------------------------------

@pytest.fixture
def failed(pw, batch, villages):
    """A batch paid with its second item failed (E03 account closed), the item linked to its register person."""
    from tests.support.scenarios import pay_round, walk_to_approved
    from yikatong.banksim.options import SimOptions
    from yikatong.rosters.models import BatchItem

    walk_to_approved(batch, pw, "000")
    item = batch.items.order_by("seq")[1]
    pay_round(batch, pw, SimOptions(fail_ref={item.item_ref: "E03"}))
    v = vault()
    number = v.decrypt(item.account_enc)
    person = make_person(villages["v1"], v.decrypt(item.id_enc), item.name, account=number)
    BatchItem.objects.filter(pk=item.pk).update(person=person)
    return batch, item, person


def _approve(pw, person, *, effective=None):
    u = pw.users
    req = services.account_change_request(actor=u["zhan"], person_id=person.pk, account_no=card(88), bank="中国建设银行",
                                          reason="原账户已销户", effective_date=effective or timezone.localdate())
    return services.account_change_decide(actor=u["czs"], request_id=req.pk, approve=True)


def test_reissue_pays_into_the_approved_new_account(pw, failed):
    from yikatong.payments import services as pay

    batch, item, person = failed
    req = _approve(pw, person)
    assert req.state == AccountChangeState.APPLIED
    reissue = pay.reissue_create(actor=pw.users["zhan"], batch_id=batch.pk)
    new_item = reissue.items.get()
    assert new_item.account_bidx == vault().index(card(88)) and vault().decrypt(new_item.account_enc) == card(88)
    assert new_item.bank_name == "中国建设银行" and "account" in new_item.reissue_of.corrected


@pytest.mark.parametrize("decided", [False, True])
def test_reissue_ignores_a_pending_or_not_yet_effective_change(pw, failed, decided):
    from yikatong.payments import services as pay

    batch, item, person = failed
    u = pw.users
    req = services.account_change_request(actor=u["zhan"], person_id=person.pk, account_no=card(88), bank="建行",
                                          reason="换卡", effective_date=timezone.localdate() + dt.timedelta(days=3))
    if decided:
        req = services.account_change_decide(actor=u["czs"], request_id=req.pk, approve=True)
        assert req.state == AccountChangeState.APPROVED
    reissue = pay.reissue_create(actor=u["zhan"], batch_id=batch.pk)
    assert reissue.items.get().account_bidx == item.account_bidx


def test_the_daily_job_applies_due_changes(people, settings):
    from yikatong.registry import tasks

    assert "account_changes_apply" in settings.YKT_SCHEDULES
    p = people["p"]
    req = _request(people["op"], p, effective=timezone.localdate() + dt.timedelta(days=2))
    services.account_change_decide(actor=people["fin"], request_id=req.pk, approve=True)
    assert not tasks.account_changes_due()
    AccountChangeRequest.objects.filter(pk=req.pk).update(effective_date=timezone.localdate())
    assert tasks.account_changes_due()
    assert tasks.account_changes_apply_job(None, None) == ("账户变更生效 1 条", {"applied": 1})
    assert not tasks.account_changes_due()


def test_pages_and_api(client, people):
    from django.urls import reverse

    from tests.support.api import bearer, call
    from tests.support.factories import PASSWORD

    p = people["p"]
    assert client.login(username="both1", password=PASSWORD)
    assert client.get(reverse("registry_account_change_new", args=[p.pk])).status_code == 200
    resp = client.post(reverse("registry_account_change_new", args=[p.pk]), {
        "kind": "ssc", "bank": "中国农业银行", "account_no": card(2), "reason": "换卡",
        "effective_date": timezone.localdate().isoformat()})
    req = AccountChangeRequest.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("registry_account_change", args=[req.pk])
    page = client.get(reverse("registry_account_change", args=[req.pk])).content.decode()
    assert req.number_masked in page and card(2) not in page and "批准" not in page.split("</dl>")[1]
    # the requester holds the approving role too: refused by code through the API, nothing changed
    resp = call(client, "post", f"/api/registry/account-changes/{req.pk}/decision", bearer(people["both"]),
                {"approve": True})
    assert resp.status_code == 409 and resp.json()["code"] == "ACCOUNT_CHANGE_FOUR_EYES"
    resp = call(client, "post", f"/api/registry/account-changes/{req.pk}/decision", bearer(people["fin2"]),
                {"approve": True})
    assert resp.status_code == 404 and resp.json()["code"] == "ACCOUNT_CHANGE_NOT_IN_SCOPE"
    resp = call(client, "post", f"/api/registry/account-changes/{req.pk}/decision", bearer(people["fin"]),
                {"approve": True})
    assert resp.status_code == 200 and resp.json()["state"] == "applied" and card(2) not in resp.content.decode()
    history = client.get(reverse("registry_account_history", args=[p.pk])).content.decode()
    assert "已生效" in history and card(2) not in history and card(1) not in history
    listed = call(client, "get", "/api/registry/account-changes", bearer(people["fin"])).json()
    assert [r["id"] for r in listed] == [req.pk]


def test_payee_fix_of_a_rejected_file_uses_the_applied_change(pw, approved, villages):
    """A rejected (X) file's item is corrected to the account an applied change made current, on request."""
    from tests.support.scenarios import answered_by_bank
    from yikatong.banksim.options import SimOptions
    from yikatong.payments import services as pay
    from yikatong.payments.errors import PaymentError
    from yikatong.rosters.models import BatchItem

    u = pw.users
    order, answer = answered_by_bank(pay.order_create(actor=u["fin"], batch_id=approved.pk), pw, SimOptions(reject="F04"))
    pay.bank_answer_ingest(actor=u["gk"], filename=answer.filename, data=answer.data)
    pay.rejection_confirm(actor=u["fin"], order_id=order.pk, note="已与银行核实")
    item = approved.items.order_by("seq")[1]
    v = vault()
    person = make_person(villages["v1"], v.decrypt(item.id_enc), item.name, account=v.decrypt(item.account_enc))
    BatchItem.objects.filter(pk=item.pk).update(person=person)
    fix = {item.item_ref: {"use_register_account": True}}
    with pytest.raises(PaymentError) as exc:  # no change applied yet (a pending one does not count)
        services.account_change_request(actor=u["zhan"], person_id=person.pk, account_no=card(88), bank="建行",
                                        reason="换卡", effective_date=timezone.localdate())
        pay.payee_items_correct(actor=u["zhan"], batch_id=approved.pk, corrections=fix, reason="银行拒收")
    assert exc.value.code == "PAYEE_FIX_NO_ACCOUNT_CHANGE"
    services.account_change_decide(actor=u["czs"], request_id=AccountChangeRequest.objects.get().pk, approve=True)
    pay.payee_items_correct(actor=u["zhan"], batch_id=approved.pk, corrections=fix, reason="银行拒收：按变更后账户")
    item.refresh_from_db()
    assert v.decrypt(item.account_enc) == card(88) and item.bank_name == "建行"
