"""A confirmed finding takes its item out of payment (issue 12 point 4; DESIGN §6.9), whatever its
severity: the payment order leaves it out (audited with the order), the 汇总表 shows it apart with the
reason, and the bank never sees it. A finding transferred as a clue holds the item until the case is
closed; closed as unsubstantiated (不属实), it no longer holds it."""
import io

import pytest

from tests.support.factories import finding as _finding
from tests.support.scenarios import send_and_answer
from yikatong.audit.models import AuditEvent
from yikatong.checks import services as check_services
from yikatong.checks.models import Finding
from yikatong.checks.selectors import held_items
from yikatong.checks.services import ensure_rules
from yikatong.payments import services
from yikatong.payments.errors import PaymentError
from yikatong.rosters import exports
from yikatong.supervision import services as supervision

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(approved):
    ensure_rules()
    return approved


def test_a_confirmed_finding_stops_the_item_from_being_paid(pw, approved):
    """Regression (issue 12): "a finding confirmed as improper did not stop the item from being paid"."""
    u = pw.users
    items = list(approved.items.order_by("seq"))
    held = items[1]
    f = _finding(approved, held, "STATE_PAID", "warn")
    out = check_services.finding_dispose(actor=u["mz_head"], finding_id=f.pk, decision="confirmed", reason="财政供养人员，不符合条件")
    assert "不予支付" in out.outcome
    assert [i.pk for i in held_items(approved)] == [held.pk]

    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    refs = set(order.items.values_list("item_ref", flat=True))
    assert held.item_ref not in refs and len(refs) == len(items) - 1
    assert order.item_count == len(items) - 1 and order.total_fen == approved.total_fen - held.amount_fen
    event = AuditEvent.objects.get(action="payments.order.create", object_id=str(order.pk))
    assert [e["item_ref"] for e in event.after["excluded"]] == [held.item_ref]
    assert "财政供养人员领取" in event.after["excluded"][0]["reason"]

    # the 汇总表 lists it apart, with the reason, and leaves it out of the totals
    rows = exports.summary(approved)
    assert rows[-1]["count"] == len(items) - 1 and rows[-1]["fen"] == order.total_fen
    excluded = exports.excluded(approved)
    assert [h["seq"] for h in excluded] == [held.seq] and "疑点已确认" in excluded[0]["reason"]
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(exports.summary_xlsx(approved))).get_sheet_by_index(0).to_python()
    text = "\n".join(" ".join(str(c) for c in row) for row in sheet)
    assert "不予发放明细" in text and held.name in text and "财政供养人员领取" in text

    # the bank never sees it, and everything sent is paid
    order, _, _ = send_and_answer(order, pw)
    sent = order.payment_file.data().decode("gb18030")
    assert held.item_ref not in sent and items[0].item_ref in sent
    assert order.paid_fen == order.total_fen


def test_a_clue_holds_the_item_until_closed_unsubstantiated(pw, approved, make_user):
    u = pw.users
    items = list(approved.items.order_by("seq"))
    f = _finding(approved, items[2], "CADRE", "warn")
    out = check_services.finding_dispose(actor=u["mz_head"], finding_id=f.pk, decision="transferred", reason="疑似村干部亲属")
    assert [i.pk for i in held_items(approved)] == [items[2].pk]
    assert "已移送线索" in exports.excluded(approved)[0]["reason"]
    jj = make_user("jj", "supervisor")
    clue = supervision.investigation_start(actor=jj, clue_id=Finding.objects.get(pk=out.pk).clue.pk)
    assert [i.pk for i in held_items(approved)] == [items[2].pk]  # under investigation: still held
    supervision.investigation_conclude(actor=jj, clue_id=clue.pk, conclusion="unsubstantiated", text="经核查非亲属关系")
    assert list(held_items(approved)) == []
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    assert order.item_count == len(items)


def test_an_order_is_refused_when_every_item_is_held(pw, approved):
    u = pw.users
    for item in approved.items.all():
        f = _finding(approved, item, "SHARED_PHONE", "warn")
        check_services.finding_dispose(actor=u["mz_head"], finding_id=f.pk, decision="confirmed", reason="冒领")
    with pytest.raises(PaymentError) as exc:
        services.order_create(actor=u["fin"], batch_id=approved.pk)
    assert exc.value.code == "ORDER_ALL_HELD"
