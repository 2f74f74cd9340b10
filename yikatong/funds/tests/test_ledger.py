"""Quota balance = received − allocated − committed − paid, never negative; every change audited."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

from yikatong.audit.models import AuditEvent
from yikatong.funds import services
from yikatong.funds.models import AllocationState, FundMovement, FundQuota
from yikatong.funds.selectors import available_for_batch

from .factories import fake_batch, receive

pytestmark = pytest.mark.django_db


def _events(prefix="funds."):
    return AuditEvent.objects.filter(action__startswith=prefix).count()


def test_receive_quota_checks_role_region_and_amounts(world, policy):
    with pytest.raises(PermissionDenied):
        receive(world, policy, actor="mz_rev")
    with pytest.raises(PermissionDenied):
        receive(world, policy, actor="other_fin")
    with pytest.raises(ValidationError) as exc:
        receive(world, policy, central=0, province=0)
    assert "QUOTA_AMOUNT_NOT_POSITIVE" in {e.code for e in exc.value.error_list}
    with pytest.raises(ValidationError) as exc:
        services.quota_receive(
            actor=world.users["other_fin"], region=world.regions["other_county"], doc_number="x", issuing_level="province",
            received_on=datetime.date(2026, 3, 1), policy=policy, year=2026, amounts_fen={"central_fen": 1})
    assert "QUOTA_POLICY_NOT_IN_CATALOGUE" in {e.code for e in exc.value.error_list}
    assert not FundQuota.objects.exists() and _events() == 0
    quota = receive(world, policy)
    assert (quota.received_fen, quota.balance_fen, _events("funds.quota_receive")) == (100000, 100000, 1)
    with pytest.raises(ValidationError) as exc:
        receive(world, policy)
    assert "QUOTA_DOC_DUPLICATE" in {e.code for e in exc.value.error_list}


def test_allocation_draws_on_the_balance_and_refuses_overspending(world, policy):
    quota = receive(world, policy)
    fin = world.users["fin"]
    a1 = services.allocation_create(actor=fin, quota=quota, amount_fen=70000, target_region=world.regions["town1"])
    with pytest.raises(ValidationError) as exc:
        services.allocation_create(actor=fin, quota=quota, amount_fen=30001, target_region=world.regions["town2"])
    assert exc.value.code == "QUOTA_BALANCE_INSUFFICIENT"
    with pytest.raises(ValidationError) as exc:
        services.allocation_create(actor=fin, quota=quota, amount_fen=1, target_region=world.regions["other_county"])
    assert exc.value.code == "ALLOCATION_REGION_NOT_BELOW"
    with pytest.raises(PermissionDenied):
        services.allocation_create(actor=world.users["city_fin"], quota=quota, amount_fen=1, target_region=world.regions["town2"])
    quota.refresh_from_db()
    assert (quota.allocated_fen, quota.balance_fen) == (70000, 30000)
    services.allocation_cancel(actor=fin, allocation=a1, reason="乡镇人数调整")
    quota.refresh_from_db()
    assert quota.balance_fen == 100000
    with pytest.raises(ValidationError) as exc:
        services.allocation_cancel(actor=fin, allocation=a1, reason="再撤一次")
    assert exc.value.code == "ALLOCATION_CANCEL_NOT_PLANNED"
    assert list(FundMovement.objects.values_list("kind", "amount_fen")) == [("allocate", 70000), ("deallocate", 70000)]


def test_issue_creates_the_lower_quota_with_sources_split_exactly(world, policy):
    quota = receive(world, policy, central=66667, province=33333)
    a = services.allocation_create(actor=world.users["fin"], quota=quota, amount_fen=10001, target_region=world.regions["town1"])
    child = services.allocation_issue(actor=world.users["fin"], allocation=a, doc_number="洪财社〔2026〕3号",
                                      issued_on=datetime.date(2026, 3, 10))
    a.refresh_from_db()
    assert a.state == AllocationState.ISSUED and child.source_allocation == a
    assert child.region == world.regions["town1"] and child.received_fen == 10001
    assert child.central_fen + child.province_fen == 10001 and child.central_fen == 6667
    with pytest.raises(ValidationError) as exc:
        services.allocation_issue(actor=world.users["fin"], allocation=a, doc_number="again")
    assert exc.value.code == "ALLOCATION_NOT_PLANNED"
    dept = services.allocation_create(actor=world.users["fin"], quota=quota, amount_fen=5000, target_org=world.orgs["mz"])
    held = services.allocation_issue(actor=world.users["fin"], allocation=dept, doc_number="洪财社〔2026〕4号")
    assert held.holder == world.orgs["mz"] and held.region == world.regions["county"]


@override_settings(YKT_PROFILE="001")
def test_deadlines_of_seed_001_direct_and_other(world, policy):
    direct = receive(world, policy, direct=True, received_on=datetime.date(2026, 3, 2))
    other = receive(world, policy, doc="晋财社〔2026〕2号", received_on=datetime.date(2026, 3, 2))
    a = services.allocation_create(actor=world.users["fin"], quota=direct, amount_fen=1, target_region=world.regions["town1"])
    b = services.allocation_create(actor=world.users["fin"], quota=other, amount_fen=1, target_region=world.regions["town1"])
    assert (a.deadline, b.deadline) == (datetime.date(2026, 3, 17), datetime.date(2026, 4, 1))
    assert a.is_overdue  # today is long after


@override_settings(YKT_PROFILE="003")
def test_deadlines_of_seed_003_count_working_days(world, policy):
    quota = receive(world, policy, received_on=datetime.date(2026, 9, 30))  # before the National Day holiday
    a = services.allocation_create(actor=world.users["fin"], quota=quota, amount_fen=1, target_region=world.regions["town1"])
    assert a.deadline == datetime.date(2026, 10, 10)  # 3 working days: Oct 8, Oct 9, Oct 10 (a make-up Saturday)


def test_commit_pay_release_and_the_batch_helpers(world, policy):
    quota = receive(world, policy)
    fin = world.users["fin"]
    services.allocation_create(actor=fin, quota=quota, amount_fen=20000, target_region=world.regions["town2"])
    c = services.commit_funds(actor=fin, quota=quota, amount_fen=50000, ref="batch:A")
    assert services.commit_funds(actor=fin, quota=quota, amount_fen=50000, ref="batch:A") == c  # retry: no change
    with pytest.raises(ValidationError) as exc:
        services.commit_funds(actor=fin, quota=quota, amount_fen=1, ref="batch:A")
    assert exc.value.code == "COMMITMENT_AMOUNT_MISMATCH"
    with pytest.raises(ValidationError) as exc:
        services.commit_funds(actor=fin, quota=quota, amount_fen=30001, ref="batch:B")
    assert exc.value.code == "QUOTA_BALANCE_INSUFFICIENT"
    services.record_paid(actor=fin, quota=quota, amount_fen=45000, ref="batch:A")
    with pytest.raises(ValidationError) as exc:
        services.record_paid(actor=fin, quota=quota, amount_fen=5001, ref="batch:A")
    assert exc.value.code == "COMMITMENT_OUTSTANDING_SHORT"
    c = services.release_commitment(actor=fin, quota=quota, ref="batch:A")
    quota.refresh_from_db()
    assert (c.paid_fen, c.released_fen, c.outstanding_fen) == (45000, 5000, 0)
    assert (quota.allocated_fen, quota.committed_fen, quota.paid_fen, quota.balance_fen) == (20000, 0, 45000, 35000)
    assert _events("funds.commit") == 1 and _events("funds.paid") == 1 and _events("funds.release") == 1
    with pytest.raises(ValidationError):
        services.commit_funds(actor=fin, quota=quota, amount_fen=1.5, ref="x")  # never a float


def test_batch_commits_across_its_quotas(world, policy):
    county_quota = receive(world, policy)  # 1000 yuan at the county
    fin = world.users["fin"]
    a = services.allocation_create(actor=fin, quota=county_quota, amount_fen=30000, target_region=world.regions["town1"])
    services.allocation_issue(actor=fin, allocation=a, doc_number="洪财社〔2026〕3号")
    batch = fake_batch(policy, total_fen=90000)
    assert available_for_batch(batch) == 100000  # 700 at the county + 300 at the township
    assert available_for_batch(fake_batch(policy, region_code="141024101000")) == 70000  # another township
    parts = services.commit_for_batch(actor=fin, batch=batch)
    assert [(p.quota.region_id, p.committed_fen) for p in parts] == [("141024100000", 30000), ("141024000000", 60000)]
    assert services.commit_for_batch(actor=fin, batch=batch) == parts  # idempotent
    with pytest.raises(ValidationError) as exc:
        services.commit_for_batch(actor=fin, batch=fake_batch(policy, code="PC-2", total_fen=10001))
    assert exc.value.code == "BATCH_QUOTA_INSUFFICIENT"
    assert services.record_paid_for_ref(actor=fin, ref="batch:PC-1", amount_fen=85000) == 85000
    assert services.release_for_ref(actor=fin, ref="batch:PC-1") == 5000
    assert available_for_batch(batch) == 15000
    assert sum(q.paid_fen for q in FundQuota.objects.all()) == 85000


def test_the_database_refuses_a_negative_balance_even_without_the_service(world, policy):
    quota = receive(world, policy)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundQuota.objects.filter(pk=quota.pk).update(paid_fen=100001)
