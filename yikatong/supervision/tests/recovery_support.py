"""A paid batch of the payments world and a confirmed finding on one of its paid items (issue 16 §4)."""
import pytest

from tests.support.scenarios import PNG, pay_round
from yikatong.accounts.roles import Role
from yikatong.checks import services as check_services
from yikatong.checks.manual import finding_open_manual
from yikatong.payments.models import ItemStatus, PaymentOrderItem


def confirmed_on(item, pw, *, decision="confirmed", source="TS-0001"):
    f = finding_open_manual(actor=pw.users["fin"], item_id=item.pk, reason="死亡后仍领取", source_ref=source)
    return check_services.finding_dispose(actor=pw.users["fin"], finding_id=f.pk, decision=decision,
                                          reason="核实属实，已死亡")


@pytest.fixture
def paid(approved, pw):
    """(batch, paid lines): the approved batch paid by the simulated bank, every line paid."""
    order, _, _ = pay_round(approved, pw)
    lines = list(PaymentOrderItem.objects.filter(order=order, status=ItemStatus.PAID).select_related("batch_item"))
    assert lines
    return approved, lines


@pytest.fixture
def fin2(pw):
    return pw.user("fin2", "czj", Role.FINANCE_REVIEWER)


@pytest.fixture
def jiwei(make_user):
    return make_user("jiwei", Role.SUPERVISOR)


EVIDENCE = PNG
