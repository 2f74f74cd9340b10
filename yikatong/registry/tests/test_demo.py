"""The demo builds a small county through the real services, deterministically and once."""
import pytest

from yikatong.registry import demo
from yikatong.registry.models import Person, PersonEvent, ReferenceSnapshot

pytestmark = pytest.mark.django_db


def test_demo_builds_once(villages):
    result = demo.build("141024", size=300)
    assert result["people"] == 300 and Person.objects.count() == 300
    assert PersonEvent.objects.exists() and ReferenceSnapshot.objects.count() == 8
    assert Person.objects.filter(status="deceased").exists()
    assert demo.build("141024", size=300) == {"skipped": True} and Person.objects.count() == 300
