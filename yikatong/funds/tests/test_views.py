"""Permission matrix of the quota write views, the pages, the API and the overdue to-do entry."""
import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.support.env import as_user as _as
from yikatong.audit.models import AuditEvent
from yikatong.funds import services
from yikatong.funds.models import AllocationState, FundAllocation, FundQuota
from yikatong.funds.todo import allocation_todos

from .factories import receive

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(FundQuota.objects.order_by("pk").values_list("pk", "allocated_fen", "committed_fen", "paid_fen")),
        list(FundAllocation.objects.order_by("pk").values_list("pk", "state")),
        AuditEvent.objects.filter(action__startswith="funds.").count(),
    )


def _check(resp, who):
    if who == "anonymous":
        assert resp.status_code == 302 and resp["Location"].startswith("/login/")
    elif who == "wrong_role":
        assert resp.status_code == 403
    elif who == "wrong_region":
        assert resp.status_code in (403, 404)
    else:
        assert resp.status_code == 302


MATRIX = [("anonymous", None), ("wrong_role", "mz_head"), ("wrong_region", "other_fin"), ("right", "fin")]


@pytest.mark.parametrize("who,user", [m for m in MATRIX if m[0] != "wrong_region"])
def test_register_quota(client, world, policy, who, user):
    before = _snapshot()
    resp = _as(client, world.users.get(user)).post(reverse("fund_quota_create"), {
        "doc_number": "晋财社〔2026〕9号", "issuing_level": "province", "received_on": "2026-03-02",
        "policy": policy.pk, "central": "1,000.50", "province": "200",
    })
    _check(resp, who)
    if who == "right":
        q = FundQuota.objects.get()
        assert (q.central_fen, q.province_fen, q.received_fen, q.year) == (100050, 20000, 120050, 2026)
    else:
        assert _snapshot() == before


@pytest.mark.parametrize("who,user", MATRIX)
def test_allocate(client, world, policy, who, user):
    quota = receive(world, policy)
    before = _snapshot()
    resp = _as(client, world.users.get(user)).post(reverse("fund_allocate", args=[quota.pk]),
                                                   {"target_region": world.regions["town1"].code, "amount": "300"})
    _check(resp, who)
    quota.refresh_from_db()
    assert (quota.allocated_fen == 30000) is (who == "right")
    if who != "right":
        assert _snapshot() == before


@pytest.mark.parametrize("who,user", MATRIX)
def test_issue_allocation(client, world, policy, who, user):
    quota = receive(world, policy)
    a = services.allocation_create(actor=world.users["fin"], quota=quota, amount_fen=100, target_region=world.regions["town1"])
    before = _snapshot()
    resp = _as(client, world.users.get(user)).post(reverse("fund_allocation_issue", args=[a.pk]),
                                                   {"doc_number": "洪财社〔2026〕3号"})
    _check(resp, who)
    a.refresh_from_db()
    assert (a.state == AllocationState.ISSUED) is (who == "right")
    if who != "right":
        assert _snapshot() == before


def test_overspending_through_the_form_is_refused_in_chinese(client, world, policy):
    quota = receive(world, policy)
    body = _as(client, world.users["fin"]).post(reverse("fund_allocate", args=[quota.pk]), {
        "target_region": world.regions["town1"].code, "amount": "1000.01"}).content.decode()
    assert 'data-code="QUOTA_BALANCE_INSUFFICIENT"' in body and not FundAllocation.objects.exists()


@override_settings(YKT_PROFILE="001")
def test_pages_api_and_overdue_to_do(client, world, policy):
    quota = receive(world, policy, received_on=datetime.date(2026, 3, 2))
    a = services.allocation_create(actor=world.users["fin"], quota=quota, amount_fen=25000, target_region=world.regions["town1"])
    fin = _as(client, world.users["fin"])
    body = fin.get(reverse("fund_quotas")).content.decode()
    assert "晋财社〔2026〕1号" in body and "已超过下达期限" in body and "¥750.00" in body
    body = fin.get(reverse("fund_quota", args=[quota.pk])).content.decode()
    assert "已逾期" in body and "30日内分配到县" in body and "¥250.00" in body
    assert fin.get(reverse("fund_allocate", args=[quota.pk])).status_code == 200
    assert fin.get(reverse("fund_quota_create")).status_code == 200
    data = fin.get(f"/api/funds/quotas/{quota.pk}").json()
    assert data["balance_fen"] == 75000 and data["allocations"][0]["overdue"] is True
    todos = allocation_todos(world.users["fin"])
    assert len(todos) == 1 and todos[0].overdue and todos[0].due == a.deadline == datetime.date(2026, 4, 1)
    assert allocation_todos(world.users["city_fin"]) == [] and allocation_todos(world.users["mz_head"]) == []
    # a department reads quotas of its region; a township operator does not
    assert _as(client, world.users["mz_head"]).get(f"/api/funds/quotas/{quota.pk}").status_code == 200
    assert _as(client, world.users["op"]).get("/api/funds/quotas").json() == []
    assert _as(client, world.users["other_fin"]).get(f"/api/funds/quotas/{quota.pk}").status_code == 404
