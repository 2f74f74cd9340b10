"""Issue 12 point 5: a reissue (补发) holds only failed items of its origin, corrected; no new person,
no amount above the original — refused at the services and re-verified by the reissue guard at
every money-moving step, on the data as it is then."""
import pytest

from tests.support.scenarios import do, pay_round, walk_reissue_to_approved, walk_to_approved
from yikatong.audit.models import AuditEvent
from yikatong.banksim.options import SimOptions
from yikatong.core.crypto import vault
from yikatong.payments import services
from yikatong.payments.errors import PaymentError
from yikatong.payments.models import PaymentOrderItem, Reissue
from yikatong.rosters import services as roster_services
from yikatong.rosters.errors import RosterError, TransitionRefused
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.models import Batch, BatchItem
from yikatong.rosters.tests.files import card, good_rows, id_number, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(pw, batch):
    """A batch paid with its second item failed (E01): (batch, failed item_ref)."""
    walk_to_approved(batch, pw, "000")
    batch.refresh_from_db()
    refs = list(batch.items.order_by("seq").values_list("item_ref", flat=True))
    pay_round(batch, pw, SimOptions(fail_ref={refs[1]: "E01"}))
    batch.refresh_from_db()
    assert batch.state == "partly_failed"
    return batch, refs[1]


def _new_person_values():
    return {"姓名": "新增人员", "身份证号码": id_number(90), "村(社区)": "第一村委会", "银行账号": card(90),
            "发放金额(元)": "1500.00"}


def _snapshot(reissue):
    return (list(reissue.items.order_by("pk").values_list("pk", "status", "amount_fen", "id_bidx")),
            Batch.objects.filter(pk=reissue.pk).values_list("item_count", "total_fen", "state").get())


def test_reissue_batch_refuses_a_manually_added_new_person(pw, failed):
    """Regression (issue 12): a reissue batch accepted a manually added new person, paid ¥1,500 without notice."""
    batch, ref = failed
    u = pw.users
    reissue = services.reissue_create(actor=u["zhan"], batch_id=batch.pk, corrections={ref: {"account": card(77)}})
    before = _snapshot(reissue)
    with pytest.raises(RosterError) as exc:
        roster_services.item_add(actor=u["zhan"], batch_id=reissue.pk, values=_new_person_values())
    assert exc.value.code == "REISSUE_NO_NEW_ITEMS"
    with pytest.raises(RosterError) as exc:
        roster_import(actor=u["zhan"], batch_id=reissue.pk, data=to_csv(good_rows(1)), filename="补发.csv",
                      mode="all_or_nothing")
    assert exc.value.code == "REISSUE_NO_NEW_ITEMS"
    assert _snapshot(reissue) == before and reissue.imports.count() == 0
    # the reissue still runs its short cycle and pays exactly the failed person
    reissue = walk_reissue_to_approved(reissue, pw)
    order, _, _ = pay_round(reissue, pw)
    assert [(i.item_ref, i.amount_fen) for i in order.items.all()] == [
        (reissue.items.get().item_ref, batch.items.get(item_ref=ref).amount_fen)]


def _sneak_item(reissue, *, seq, id_seq, amount_fen):
    """An item written around the services (as a bug or a direct database edit would)."""
    src = reissue.items.order_by("seq").first()
    v = vault()
    return BatchItem.objects.create(
        batch=reissue, seq=seq, item_ref=f"{reissue.code}-{seq:06d}", name="新增人员", id_enc=v.encrypt(id_number(id_seq)),
        id_bidx=v.id_index(id_number(id_seq)), id_masked="1410**********0000", account_enc=v.encrypt(card(id_seq)),
        account_bidx=v.index(card(id_seq)), account_masked="6228****", amount_fen=amount_fen, compare=src.compare,
        village_id=src.village_id)


def test_reissue_guard_refuses_items_written_around_the_services(pw, failed):
    batch, ref = failed
    u = pw.users
    reissue = services.reissue_create(actor=u["zhan"], batch_id=batch.pk, corrections={ref: {"account": card(77)}})
    legit = reissue.items.get()
    origin_amount = legit.amount_fen
    sneaked = _sneak_item(reissue, seq=2, id_seq=91, amount_fen=150_000)
    reissue = do(reissue, u["zhan"], "send_compare")
    reissue = do(reissue, u["czs"], "compare_pass")
    with pytest.raises(TransitionRefused) as exc:
        do(reissue, u["zhan"], "submit")
    assert exc.value.code == "REISSUE_NOT_FROM_ORIGIN" and "新增人员" in exc.value.message
    assert Batch.objects.get(pk=reissue.pk).state == "compared"

    BatchItem.objects.filter(pk=sneaked.pk).update(status="removed")
    BatchItem.objects.filter(pk=legit.pk).update(amount_fen=origin_amount + 100_00)
    with pytest.raises(TransitionRefused) as exc:
        do(reissue, u["zhan"], "submit")
    assert exc.value.code == "REISSUE_AMOUNT_ABOVE_ORIGIN"
    assert "¥" in exc.value.message and "分" not in exc.value.message  # amounts shown in 元

    BatchItem.objects.filter(pk=legit.pk).update(amount_fen=origin_amount)
    reissue = do(reissue, u["zhan"], "submit")
    BatchItem.objects.filter(pk=legit.pk).update(id_bidx=vault().id_index(id_number(92)))
    with pytest.raises(TransitionRefused) as exc:
        do(reissue, u["mz_rev"], "approve_reissue")
    assert exc.value.code == "REISSUE_PERSON_CHANGED"

    BatchItem.objects.filter(pk=legit.pk).update(id_bidx=batch.items.get(item_ref=ref).id_bidx)
    reissue = do(reissue, u["mz_rev"], "approve_reissue")
    BatchItem.objects.filter(pk=legit.pk).update(amount_fen=origin_amount + 1)
    with pytest.raises(TransitionRefused) as exc:
        do(reissue, u["fin"], "finance_approve")
    assert exc.value.code == "REISSUE_AMOUNT_ABOVE_ORIGIN"
    assert Batch.objects.get(pk=reissue.pk).state == "finance_review"

    # (a lower amount passes this guard, but the inline cross-check then flags amount ≠ standard: see
    # AMOUNT_STANDARD; the origin's amount passes both)
    BatchItem.objects.filter(pk=legit.pk).update(amount_fen=origin_amount)
    reissue = do(reissue, u["fin"], "finance_approve")
    assert reissue.state == "approved"


def test_origin_written_off_after_the_reissue_is_refused_by_the_guard(pw, failed):
    batch, ref = failed
    u = pw.users
    reissue = services.reissue_create(actor=u["zhan"], batch_id=batch.pk)
    PaymentOrderItem.objects.filter(item_ref=ref).update(written_off_reason="核销")  # around write_off's check
    reissue = do(reissue, u["zhan"], "send_compare")
    reissue = do(reissue, u["czs"], "compare_pass")
    with pytest.raises(TransitionRefused) as exc:
        do(reissue, u["zhan"], "submit")
    assert exc.value.code == "REISSUE_ORIGIN_NOT_REPAYABLE"


def test_reissue_corrections_are_checked_before_anything_is_written(pw, failed):
    batch, ref = failed
    u = pw.users
    origin = PaymentOrderItem.objects.get(item_ref=ref)
    count = Batch.objects.count()
    cases = [
        ({"amount_fen": origin.amount_fen + 1}, "REISSUE_AMOUNT_ABOVE_ORIGIN"),
        ({"amount_fen": 0}, "REISSUE_AMOUNT_INVALID"),
        ({"account_holder": "对象|2"}, "PAYEE_DELIMITER"),
        ({"account_holder": "对象\x072"}, "PAYEE_CONTROL_CHAR"),
        ({"bank_name": "农商行\u200b"}, "PAYEE_CONTROL_CHAR"),
        ({"account": "6228|4800"}, "PAYEE_DELIMITER"),
        ({"account": "1234567890123456"}, "REISSUE_ACCOUNT_INVALID"),
        ({"id_number": id_number(93)}, "REISSUE_CORRECTION_FIELD"),
    ]
    for change, code in cases:
        with pytest.raises(PaymentError) as exc:
            services.reissue_create(actor=u["zhan"], batch_id=batch.pk, corrections={ref: change})
        assert exc.value.code == code, change
    with pytest.raises(PaymentError) as exc:
        services.reissue_create(actor=u["zhan"], batch_id=batch.pk, corrections={"NOPE-000001": {}})
    assert exc.value.code == "REISSUE_UNKNOWN_ITEMS"
    assert Batch.objects.count() == count and not Reissue.objects.exists()

    reissue = services.reissue_create(actor=u["zhan"], batch_id=batch.pk, corrections={
        ref: {"amount_fen": origin.amount_fen - 100_00, "account_holder": "对象二"}})
    item = reissue.items.get()
    assert (item.amount_fen, item.account_holder) == (origin.amount_fen - 100_00, "对象二")
    assert item.reissue_of.source_id == origin.pk and sorted(item.reissue_of.corrected) == ["account_holder",
                                                                                           "amount_fen"]
    assert reissue.total_fen == origin.amount_fen - 100_00
    assert AuditEvent.objects.filter(action="payments.reissue.create").count() == 1


def test_reissue_item_edit_keeps_amount_within_the_origin(pw, failed):
    batch, ref = failed
    u = pw.users
    reissue = services.reissue_create(actor=u["zhan"], batch_id=batch.pk)
    item = reissue.items.get()
    origin = PaymentOrderItem.objects.get(item_ref=ref)
    with pytest.raises(RosterError) as exc:
        roster_services.item_edit(actor=u["zhan"], batch_id=reissue.pk, item_id=item.pk,
                                  values={"发放金额(元)": "1500.00"}, reason="改金额")
    assert exc.value.code == "REISSUE_AMOUNT_ABOVE_ORIGIN"
    item = roster_services.item_edit(actor=u["zhan"], batch_id=reissue.pk, item_id=item.pk,
                                     values={"银行账号": card(79)}, reason="E01 账户不存在，更正账号")
    assert vault().decrypt(item.account_enc) == card(79) and item.amount_fen == origin.amount_fen
    assert Reissue.objects.get(new_item=item).corrected == ["account"]
    reissue = walk_reissue_to_approved(reissue, pw)
    order, _, _ = pay_round(reissue, pw)
    assert order.paid_fen == origin.amount_fen
    assert Batch.objects.get(pk=batch.pk).state == "closed"


def test_item_removed_from_a_reissue_can_be_written_off_and_the_origin_closes(pw, failed):
    batch, ref = failed
    u = pw.users
    reissue = services.reissue_create(actor=u["zhan"], batch_id=batch.pk)
    roster_services.item_remove(actor=u["zhan"], batch_id=reissue.pk, item_id=reissue.items.get().pk,
                                reason="对象已死亡，不再补发")
    services.order_item_write_off(actor=u["fin"], order_item_id=PaymentOrderItem.objects.get(item_ref=ref).pk,
                       reason="对象已死亡，核销")
    assert Batch.objects.get(pk=batch.pk).state == "closed"
