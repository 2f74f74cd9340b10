"""Fixtures of the security tests: the rosters world (a county, a catalogue, a draft batch and its
township users), the register's villages and the checks' planted findings, reused from the apps'
own test fixtures. (No faster password hasher here: the policies factories cache one hash.)"""
from yikatong.checks.tests.conftest import planted  # noqa: F401  (fixture)
from yikatong.registry.tests.conftest import villages  # noqa: F401  (fixture)
from yikatong.rosters.tests.conftest import batch, rw  # noqa: F401  (fixtures)
