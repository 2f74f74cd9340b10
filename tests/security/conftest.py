"""Fixtures of the security tests: the rosters world (a county, a catalogue, a draft batch and its
township users) and the register's townships, reused from the apps' own test fixtures."""
import pytest

from yikatong.checks.tests.conftest import planted  # noqa: F401  (fixture)
from yikatong.registry.tests.conftest import villages  # noqa: F401  (fixture)
from yikatong.rosters.tests.conftest import batch, rw  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

