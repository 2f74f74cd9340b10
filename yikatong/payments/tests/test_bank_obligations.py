"""Bank obligations per profile (issue 14 point 5): the deadlines of an agreement come from the profile
(working days), and where the profile requires it (seed 003) a bank pays only under a three-party
agreement (finance – department – bank) with its signed text, checked at order creation and at sending."""
import pytest
from django.core.files.base import ContentFile

from yikatong.accounts.models import User
from yikatong.payments import banks, services
from yikatong.payments.errors import PaymentError
from yikatong.payments.models import AgreementDocument, OrderState
from yikatong.payments.tests.support import DAY, HEADER, KEY
from yikatong.rosters.models import Batch

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code,pay,report", [("000", 3, 2), ("001", 2, None), ("003", 3, 1)])
def test_agreement_deadlines_default_from_the_profile(pw, settings, code, pay, report):
    settings.YKT_PROFILE = code
    dept = pw.orgs["mz"]
    a = banks.agreement_create(actor=User.objects.get(username="bankadmin"), bank=pw.agreement.bank,
                               payer=pw.orgs["czj"], payer_account=HEADER["payer_account"], payer_name="财政局",
                               mac_key=KEY, valid_from=DAY, department=dept,
                               document=ContentFile(b"%PDF-1.4 signed", name="协议.pdf"))
    assert (a.pay_within_working_days, a.report_within_days) == (pay, report)


def test_three_party_agreement_required_before_the_first_order(pw, approved, settings):
    fin, gk = pw.users["fin"], pw.users["gk"]
    Batch.objects.filter(pk=approved.pk).update(profile_code="003")
    # the county's agreement is two-party (registered under 000): refused by code, on current data
    with pytest.raises(PaymentError) as exc:
        services.order_create(actor=fin, batch_id=approved.pk)
    assert exc.value.code == "ORDER_THREE_PARTY_MISSING"
    settings.YKT_PROFILE = "003"
    three = banks.agreement_create(actor=User.objects.get(username="bankadmin"), bank=pw.agreement.bank,
                                   payer=pw.orgs["czj"], payer_account=HEADER["payer_account"], payer_name="财政局",
                                   mac_key=KEY, valid_from=DAY, department=approved.department,
                                   document=ContentFile(b"%PDF-1.4 signed", name="三方协议.pdf"))
    order = services.order_create(actor=fin, batch_id=approved.pk, agreement_id=three.pk)
    services.order_release(actor=gk, order_id=order.pk)
    AgreementDocument.objects.filter(agreement=three).delete()  # the signed text is gone by the time of sending
    with pytest.raises(PaymentError) as exc:
        services.order_send(actor=gk, order_id=order.pk, connector=pw.connector)
    assert exc.value.code == "ORDER_THREE_PARTY_MISSING"
    order.refresh_from_db()
    assert order.state == OrderState.RELEASED


def test_two_party_agreement_suffices_where_the_profile_does_not_ask(pw, approved):
    order = services.order_create(actor=pw.users["fin"], batch_id=approved.pk)  # profile 000
    assert order.agreement.department_id is None
