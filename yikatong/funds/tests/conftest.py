import pytest

from yikatong.policies.tests.factories import build_world


@pytest.fixture
def world(regions):
    return build_world(regions)
