"""Concurrent allocations and commitments never drive a quota balance below zero (PostgreSQL)."""
import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.support.concurrency import failed, race
from tests.support.factories import build_world
from yikatong.funds import services
from yikatong.funds.models import FundAllocation, FundCommitment, FundQuota

from .factories import county_policy, receive


def _race(n, work):
    """Run work(i) in n threads released together; return (successes, refusals, other errors)."""
    outcomes = race(n, work)
    ok = [i for i, o in enumerate(outcomes) if not isinstance(o, Exception)]
    refused = [i for i, o in enumerate(outcomes) if isinstance(o, ValidationError)]
    return ok, refused, [o for o in failed(outcomes) if not isinstance(o, ValidationError)]


@pytest.fixture
def quota(regions):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL; SQLite serialises every writer, CI runs both")
    world = build_world(regions)
    return world, receive(world, county_policy(world), central=100000, province=0)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_allocations_cannot_overspend(quota):
    world, q = quota
    towns = [world.regions["town1"], world.regions["town2"]]
    ok, refused, errors = _race(2, lambda i: services.allocation_create(
        actor=world.users["fin"], quota=q, amount_fen=60000, target_region=towns[i]))
    assert not errors and len(ok) == 1 and len(refused) == 1
    q.refresh_from_db()
    assert (q.allocated_fen, q.balance_fen) == (60000, 40000)
    assert FundAllocation.objects.count() == 1  # the refused one left nothing behind


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_commitments_stop_exactly_at_zero(quota):
    world, q = quota
    ok, refused, errors = _race(8, lambda i: services.commit_funds(
        actor=world.users["fin"], quota=q, amount_fen=30000, ref=f"batch:{i}"))
    assert not errors and len(ok) == 3 and len(refused) == 5
    q.refresh_from_db()
    assert (q.committed_fen, q.balance_fen) == (90000, 10000)
    assert sum(FundCommitment.objects.values_list("committed_fen", flat=True)) == 90000
    assert FundQuota.objects.filter(pk=q.pk).get().balance_fen >= 0
