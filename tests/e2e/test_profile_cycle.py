"""Issue 14: one cycle per seed profile, from an empty database (fixtures only) to a closed batch, through
the services: batch -> roster items -> the profile's own review and verification steps -> the notices the
profile requires (its minimum working days) -> approvals -> payment order -> the bank's result with one
failure -> the failed funds returned with their receipt -> payee correction -> reissue -> paid -> post-payment
notice (the profile's minimum) -> batch closed; and the bank's pay/report deadlines are the ones the profile
gives the agreement."""
import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.support.env import bank_boxes
from tests.support.scenarios import (
    PHONE, PNG, draft_batch, pay_round, roster_world, walk_reissue_to_approved, walk_to_approved,
)
from yikatong.accounts.roles import Role
from yikatong.banksim.options import SimOptions
from yikatong.core import calendar
from yikatong.core.profiles import PROFILES, get_profile
from yikatong.payments import deadlines, notice, returns, services
from yikatong.payments.models import ItemStatus
from yikatong.rosters import flows
from yikatong.rosters import notices as roster_notices
from yikatong.rosters.errors import RosterError
from yikatong.rosters.models import Batch, BatchEvent
from yikatong.rosters.tests.files import card

SEEDS = sorted(PROFILES)
PDF = b"%PDF-1.4\n%signed three-party agreement\n%%EOF\n"


def _agreement(rw, admin, regions, profile):
    """The county's agent bank and its agreement with finance, made the way the profile requires: seed 003
    signs a three-party agreement (finance, department, bank) before the first payment."""
    from yikatong.accounts.models import Organization, OrgKind
    from yikatong.payments import banks
    from yikatong.payments.tests.support import DAY, HEADER, KEY

    org = Organization.objects.create(name="洪洞农商行", kind=OrgKind.AGENT_BANK, region=regions["county"], code="B1")
    bank = banks.agent_bank_create(actor=admin, code=HEADER["bank_code"], name="洪洞农商行", organization=org)
    three = {"department": rw.orgs["mz"], "document": ContentFile(PDF, name="三方协议.pdf")} \
        if profile.three_party_agreement else {}
    return banks.agreement_create(actor=admin, bank=bank, payer=rw.orgs["czj"], payer_account=HEADER["payer_account"],
                                  payer_name=HEADER["payer_name"], mac_key=KEY, valid_from=DAY, **three)


def _expected_path(profile) -> list[str]:
    """The states a batch passes from draft to approval under `profile`, read from its own table."""
    path, state = ["draft"], "draft"
    while state != "approved":
        tr = next(t for t in flows.available(profile, state)
                  if not t.is_return and "is_reissue" not in t.guards and not t.is_system)
        state = tr.target
        path.append(state)
    return path


@pytest.mark.django_db
@pytest.mark.parametrize("code", SEEDS)
def test_profile_cycle_from_empty_database_to_closed_batch(code, regions, make_user, settings, tmp_path):
    settings.YKT_PROFILE = code
    profile = get_profile(code)
    rw = roster_world(regions)
    rw.connector = bank_boxes(settings, tmp_path)
    rw.user("gk", "czj", Role.TREASURY)
    agreement = _agreement(rw, make_user("bankadmin", Role.SYSADMIN), regions, profile)
    # the agreement takes the profile's bank deadlines (seed 000: 3 working days / 2 days; 001: 2; 003: 3 / 1)
    assert (agreement.pay_within_working_days, agreement.report_within_days) == (
        profile.bank_pay_within_working_days, profile.bank_report_within_days)
    assert (agreement.department_id is not None) == profile.three_party_agreement  # seed 003: 三方协议

    batch = draft_batch(rw, regions)
    assert batch.profile_code == code
    seen = walk_to_approved(batch, rw, code)
    assert seen == _expected_path(profile)
    assert ("verifying" in seen) == bool(profile.township_verify_working_days)
    assert ("comparing" in seen) == profile.finance_office_compares_before_review
    assert ("notice_done" in seen) == profile.resubmit_after_notice
    batch.refresh_from_db()
    notices = list(batch.notices.all())
    assert {n.level for n in notices} == set(profile.notice_levels or ("village",))
    for n in notices:  # each notice lasted the profile's minimum, counted on the working-day calendar
        assert calendar.working_days_between(n.start - datetime.timedelta(days=1), n.end) == n.working_days \
            >= (profile.notice_min_working_days or 1)
        assert n.read_at_assembly == profile.notice_read_at_assembly

    refs = list(batch.items.order_by("seq").values_list("item_ref", flat=True))
    order, _, _ = pay_round(batch, rw, SimOptions(fail_ref={refs[1]: "E01"}))
    sent, n, report = deadlines.sent_day(order), profile.bank_pay_within_working_days, profile.bank_report_within_days
    pay_due = calendar.add_working_days(sent, n) if n else None
    assert deadlines.pay_due(order) == pay_due
    assert deadlines.answer_due(order) == (
        None if n is None and report is None else (pay_due or sent) + datetime.timedelta(days=report or 0))
    assert (order.paid_count, order.failed_count) == (2, 1)
    assert Batch.objects.get(pk=batch.pk).state == "partly_failed"

    # the bank returns the failed funds through the original channel, by the profile's limit (001: the next
    # working day after the answer; no limit elsewhere), with its receipt, traced in the quota ledger
    n_return = profile.failed_funds_return_working_days
    assert returns.return_due(order) == (
        calendar.add_working_days(returns.arrived_on(order), n_return) if n_return else None)
    count, owed = returns.expected(order)
    ret = returns.fund_return_record(actor=rw.users["fin"], order_id=order.pk, amount_fen=owed,
                                     returned_on=returns.arrived_on(order), receipt_name="回单.png", receipt_data=PNG)
    assert (count, ret.amount_fen) == (1, order.items.get(status=ItemStatus.FAILED).amount_fen)
    assert not returns.is_overdue(order)

    reissue = services.reissue_create(actor=rw.users["zhan"], batch_id=batch.pk,
                                      corrections={refs[1]: {"account": card(77)}})
    reissue = walk_reissue_to_approved(reissue, rw)
    order2, _, _ = pay_round(reissue, rw)
    assert (order2.paid_count, order2.failed_count) == (1, 0)
    assert dict(Batch.objects.filter(pk__in=[batch.pk, reissue.pk]).values_list("pk", "state")) == {
        batch.pk: "closed", reissue.pk: "paid"}
    assert BatchEvent.objects.filter(batch=batch, action="close").exists()

    # the post-payment notice lasts at least the profile's minimum (001: 5 working days)
    minimum = profile.post_payment_notice_working_days or 1
    if minimum > 1:
        with pytest.raises(RosterError) as exc:
            roster_notices.post_payment_notice_record(actor=rw.users["zhan"], batch_id=batch.pk,
                                                       start=timezone.localdate(), place="乡镇政务公开栏",
                                                       phone=PHONE, working_days=minimum - 1)
        assert exc.value.code == "POST_NOTICE_TOO_SHORT"
    posted = roster_notices.post_payment_notice_record(actor=rw.users["zhan"], batch_id=batch.pk,
                                                        start=timezone.localdate(), place="乡镇政务公开栏", phone=PHONE)
    assert (posted.level, posted.working_days) == ("post_payment", minimum)

    published = notice.rows(batch)
    assert [r.status for r in published] == ["已发放", "补发已发放", "已发放"]
    assert all(r.paid_on and len(r.account_last4) == 4 for r in published)
    assert order.items.filter(status=ItemStatus.FAILED).count() == 1
