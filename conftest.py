"""Shared fixtures, each a thin wrapper over tests/support (factories and scenarios): the region tree,
users per role, the administrative world, the rosters world with a draft or approved batch, the
payments world, and the roster with planted anomalies."""
import pytest

from tests.support import factories, scenarios
from tests.support.factories import PASSWORD  # noqa: F401  (tests import it from here)
from yikatong.accounts.models import OrgKind, User
from yikatong.regions.models import Region


@pytest.fixture
def regions(db):
    """Shanxi → Linfen → Hongtong (two townships) and Jinzhong → another county (wrong region)."""
    return factories.region_tree()


@pytest.fixture
def villages(regions):
    """Two villages of town1 (v1, v2) and one of town2 (v3)."""
    return factories.villages(regions)


@pytest.fixture
def make_user(db, regions):
    def make(username: str, *roles: str, region: Region | None = None, kind: str = OrgKind.FINANCE_BUREAU) -> User:
        return factories.user(username, factories.organization(region or regions["county"], kind), *roles)

    return make


@pytest.fixture
def world(regions):
    """Finance bureaus and line departments at province, prefecture and county, one user per role."""
    return factories.build_world(regions)


@pytest.fixture
def rw(regions):
    """The world plus a township station and finance office, a published county policy and a quota."""
    return scenarios.roster_world(regions)


@pytest.fixture
def batch(rw, regions):
    """A draft batch of rw.policy for town1."""
    return scenarios.draft_batch(rw, regions)


@pytest.fixture
def pw(rw, regions, make_user, settings, tmp_path):
    """rw plus the treasury, the agent bank and its agreement, and a bank drop box in tmp_path."""
    return scenarios.payment_world(rw, regions, make_user, settings, tmp_path)


@pytest.fixture
def approved(pw, batch):
    """The draft batch walked to finance approval (profile 000) in the payments world."""
    return scenarios.approved_batch(batch, pw)


@pytest.fixture
def planted(rw, batch, regions):
    """A roster with planted anomalies of every rule's kind (see scenarios.planted_roster)."""
    return scenarios.planted_roster(rw, batch, regions)
