import pytest

from .factories import county_policy


@pytest.fixture
def policy(world):
    """The county's published policy HT-1 (城乡低保)."""
    return county_policy(world)
