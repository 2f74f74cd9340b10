"""Seed 004 bans: own account only (or the household head's for per-household policies), no cash, no
transfer to a township or unit account. Each refused at order creation (nothing changes) and shown
at finance's review; each with an allowed counterpart."""
import pytest

from tests.support.factories import bank_account as _account
from tests.support.factories import person
from tests.support.scenarios import walk_to_approved
from yikatong.audit.models import AuditEvent
from yikatong.funds.models import FundCommitment
from yikatong.payments import services
from yikatong.payments.errors import PaymentError
from yikatong.payments.models import BatchNumberSequence, PaymentOrder
from yikatong.policies.models import Policy
from yikatong.registry.models import Household
from yikatong.core.crypto import vault
from yikatong.rosters.errors import TransitionRefused
from yikatong.rosters.models import Batch, BatchItem
from yikatong.rosters.tests.files import card, id_number

pytestmark = pytest.mark.usefixtures("with_bans")  # seed 004's bans, on the 000 world of `approved`


def _items(batch):
    return list(batch.items.order_by("seq"))


def _person(name, seq, village, household=None, relation=""):
    return person(village, id_number(seq), name, household=household, relation=relation)


def _snapshot():
    return (PaymentOrder.objects.count(), FundCommitment.objects.count(),
            list(BatchNumberSequence.objects.values_list("last_value", flat=True)), AuditEvent.objects.count(),
            list(Batch.objects.order_by("pk").values_list("state", flat=True)))


def _refused(pw, batch, *expected):
    before = _snapshot()
    with pytest.raises(PaymentError) as exc:
        services.order_create(actor=pw.users["fin"], batch_id=batch.pk)
    assert _snapshot() == before
    for text in expected:
        assert text in str(exc.value)
    return str(exc.value)


def _set_account(item, number, holder=""):
    v = vault()
    BatchItem.objects.filter(pk=item.pk).update(account_enc=v.encrypt(number), account_bidx=v.index(number),
                                                account_masked=f"{number[:4]}****{number[-4:]}", account_holder=holder)


@pytest.mark.django_db
def test_own_registered_account_is_paid_and_another_persons_is_refused(pw, approved):
    one, two, _ = _items(approved)
    p1 = _person(one.name, 1, one.village)
    p2 = _person(two.name, 2, two.village)
    _account(p1, vault().decrypt(one.account_enc), one.name)
    # line 2 pays into the account the register holds for person 1
    _account(p2, card(50), two.name)
    _set_account(two, vault().decrypt(one.account_enc))
    text = _refused(pw, approved, "第 2 条", "不属于补贴对象本人", "严禁转入其他个人")
    assert vault().decrypt(one.account_enc) not in text and two.name not in text  # masked
    _set_account(two, card(50))
    assert services.order_create(actor=pw.users["fin"], batch_id=approved.pk).item_count == 3


@pytest.mark.django_db
def test_unregistered_account_with_another_holder_is_refused(pw, approved):
    _, two, _ = _items(approved)
    _set_account(two, card(60), holder="王五")
    _refused(pw, approved, "第 2 条", "户名“王*”不是补贴对象本人")
    _set_account(two, card(60), holder=two.name)
    assert services.order_create(actor=pw.users["fin"], batch_id=approved.pk)


@pytest.mark.django_db
def test_household_head_account_only_where_the_policy_pays_per_household(pw, approved):
    one, two, _ = _items(approved)
    household = Household.objects.create(number="H001", village=one.village)
    head = _person(one.name, 1, one.village, household, relation="户主")
    member = _person(two.name, 2, two.village, household, relation="配偶")
    head_card = vault().decrypt(one.account_enc)
    _account(head, head_card, one.name)
    _account(member, card(70), two.name)
    _set_account(two, head_card)
    _refused(pw, approved, "第 2 条", "不属于补贴对象本人")  # the policy pays per person
    Policy.objects.filter(pk=approved.policy_id).update(unit="household")
    approved.refresh_from_db()
    assert services.order_create(actor=pw.users["fin"], batch_id=approved.pk).item_count == 3


@pytest.mark.django_db
def test_household_head_by_roster_name_when_not_registered(pw, approved):
    one, two, _ = _items(approved)
    BatchItem.objects.filter(pk__in=[one.pk, two.pk]).update(household_no="H9")
    BatchItem.objects.filter(pk=one.pk).update(relation="户主")
    _set_account(two, card(80), holder=one.name)
    Policy.objects.filter(pk=approved.policy_id).update(unit="household")
    approved.refresh_from_db()
    assert services.order_create(actor=pw.users["fin"], batch_id=approved.pk)


@pytest.mark.django_db
def test_no_cash_line_without_account_or_cash_carrier(pw, approved):
    _, _, three = _items(approved)
    BatchItem.objects.filter(pk=three.pk).update(account_enc="", account_bidx="", account_masked="")
    _refused(pw, approved, "第 3 条", "严禁以现金发放", "没有银行账号")
    _set_account(three, card(90))
    Policy.objects.filter(pk=approved.policy_id).update(carrier="cash")
    approved.refresh_from_db()
    _refused(pw, approved, "第 1 条", "严禁提取现金发放")
    Policy.objects.filter(pk=approved.policy_id).update(carrier="sscard")
    approved.refresh_from_db()
    assert services.order_create(actor=pw.users["fin"], batch_id=approved.pk)


@pytest.mark.django_db
def test_no_onward_transfer_to_a_township_or_unit_account(pw, approved):
    one, _, _ = _items(approved)
    _set_account(one, card(95), holder="大槐树镇人民政府")
    _refused(pw, approved, "第 1 条", "严禁将个人补贴转入乡镇或单位账户代发")
    BatchItem.objects.filter(pk=one.pk).update(account_holder="", is_org=True)
    _refused(pw, approved, "第 1 条", "不是补贴对象本人的个人账户")
    # a policy paying units into their public account: the unit's own account is allowed
    Policy.objects.filter(pk=approved.policy_id).update(carrier="org_account")
    BatchItem.objects.filter(batch=approved).update(is_org=True)
    approved.refresh_from_db()
    assert services.order_create(actor=pw.users["fin"], batch_id=approved.pk)


@pytest.mark.django_db
def test_unit_policy_refuses_personal_lines(pw, approved):
    Policy.objects.filter(pk=approved.policy_id).update(carrier="org_account")
    approved.refresh_from_db()
    _refused(pw, approved, "第 1 条", "该明细不是单位")


@pytest.mark.django_db
def test_bans_shown_at_finance_review(pw, batch):
    from tests.support.scenarios import do

    walk_to_approved(batch, pw, "000")
    batch.refresh_from_db()
    # walk another batch to finance_review with a breaching line
    Batch.objects.filter(pk=batch.pk).update(state="finance_review")
    one = _items(batch)[0]
    BatchItem.objects.filter(pk=one.pk).update(account_enc="", account_bidx="", account_masked="")
    with pytest.raises(TransitionRefused) as exc:
        do(batch, pw.users["fin"], "finance_approve")
    assert exc.value.code == "PAYMENT_BANNED" and "严禁以现金发放" in exc.value.message
    assert Batch.objects.get(pk=batch.pk).state == "finance_review"
    _set_account(one, card(99))
    assert do(batch, pw.users["fin"], "finance_approve").state == "approved"
