"""Issue 13: an auditor of one county saw every county's system events (no actor) — they are for
system-wide readers only; and the address in the trail came from X-Forwarded-For sent by anyone."""
import pytest
from django.db import transaction
from django.test import RequestFactory, override_settings

from conftest import PASSWORD
from yikatong.accounts.models import RoleGrant, User
from yikatong.accounts.roles import Role
from yikatong.web import audit_selectors as selectors
from yikatong.audit.middleware import client_ip
from yikatong.audit.models import AuditEvent
from yikatong.audit.services import record

pytestmark = pytest.mark.django_db


def _event(actor, action: str) -> AuditEvent:
    with transaction.atomic():
        return record(actor=actor, action=action, object_type="t", object_id="1")


@pytest.fixture
def trail(make_user, regions):
    here = make_user("here_op", Role.TOWNSHIP_OPERATOR)
    there = make_user("there_op", Role.TOWNSHIP_OPERATOR, region=regions["other_county"])
    return {"system": _event(None, "jobs.failed_interrupted"), "here": _event(here, "test.here"),
            "there": _event(there, "test.there")}


def _seen(user) -> set[str]:
    return set(selectors.events_for(user).values_list("action", flat=True))


def test_a_county_auditor_sees_own_county_events_only_no_system_events(make_user, trail):
    auditor = make_user("shenji", Role.SUPERVISOR)
    assert _seen(auditor) == {"test.here"}


def test_a_county_sysadmin_sees_no_system_events_either(make_user, trail):
    assert _seen(make_user("county_admin", Role.SYSADMIN)) == {"test.here"}


def test_a_system_wide_auditor_sees_system_events(trail):
    root = User.objects.create_superuser("root", "", PASSWORD)
    RoleGrant.objects.create(user=root, role=Role.SUPERVISOR)
    assert _seen(root) == {"jobs.failed_interrupted", "test.here", "test.there"}


def test_the_audit_page_of_a_county_auditor_omits_system_events(client, make_user, trail):
    make_user("shenji", Role.SUPERVISOR)
    client.login(username="shenji", password=PASSWORD)
    page = client.get("/audit/").content.decode()
    assert "test.here" in page and "jobs.failed_interrupted" not in page and "test.there" not in page


def _request(peer: str, forwarded: str | None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_x_forwarded_for_is_ignored_without_configured_proxies():
    assert client_ip(_request("203.0.113.9", "10.1.1.1")) == "203.0.113.9"


@override_settings(YKT_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_x_forwarded_for_is_ignored_from_an_untrusted_peer():
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


@override_settings(YKT_TRUSTED_PROXIES=["10.0.0.0/8", "192.168.1.1"])
def test_x_forwarded_for_is_used_from_a_trusted_proxy_right_to_left():
    assert client_ip(_request("10.0.0.2", "198.51.100.7")) == "198.51.100.7"
    # the client forged the left-most hop; the first untrusted address from the right is the client
    assert client_ip(_request("10.0.0.2", "6.6.6.6, 198.51.100.7, 192.168.1.1")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.2", "not-an-ip")) == "10.0.0.2"
    assert client_ip(_request("10.0.0.2", None)) == "10.0.0.2"


@override_settings(YKT_TRUSTED_PROXIES=[])
def test_the_audit_event_records_the_peer_not_the_forged_header(client, make_user):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    client.login(username="op", password=PASSWORD)
    client.post("/logout/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    event = AuditEvent.objects.get(action="accounts.logout")
    assert event.ip == "203.0.113.9"
