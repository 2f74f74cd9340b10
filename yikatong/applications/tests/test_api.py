"""The application API through HTTP with bearer tokens: submit (201 / 400 with code), the walk to
approval (200), refusal codes (403 four eyes / scope, 404 outside scope, 409 state), the pull into a
batch, and the policy form/API carrying the intake marker."""
import pytest

from tests.support.api import bearer, call
from yikatong.applications.models import Application
from yikatong.rosters.tests.files import card, id_number

from .support import application_policy

pytestmark = pytest.mark.django_db

BASE = "/api/applications/"
VILLAGE1 = "141024100001"


@pytest.fixture
def auth(rw):
    application_policy(rw)
    cache = {}

    def token(username):
        if username not in cache:
            cache[username] = bearer(rw.users[username])
        return cache[username]

    return token


def _submit(client, auth, seq=1, **change):
    body = {"policy": "DB01", "year": 2026, "village": VILLAGE1, "name": f"申请人{seq}", "id_number": id_number(seq),
            "account_no": card(seq), "phone": "13812345678", **change}
    return call(client, "post", BASE, auth("cun"), body)


def test_submit_review_verify_approve_and_pull(client, rw, auth, batch):
    resp = _submit(client, auth)
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["state"] == "submitted" and body["transitions"] == ["village_review", "refuse"]
    assert id_number(1) not in resp.content.decode()
    app_id = body["id"]
    review = {"review": {"held_on": "2026-11-02", "attendees": 20, "votes_for": 18, "votes_against": 1,
                         "minutes": "同意"}}
    resp = call(client, "post", f"{BASE}{app_id}/village-review", auth("cun"), review)
    assert resp.status_code == 200 and resp.json()["state"] == "village_reviewed", resp.content
    resp = call(client, "post", f"{BASE}{app_id}/transitions/township_verify", auth("zhan"), {})
    assert resp.json()["state"] == "township_verified"
    resp = call(client, "post", f"{BASE}{app_id}/transitions/approve", auth("mz_head"), {})
    assert resp.json()["state"] == "approved"
    resp = call(client, "post", f"{BASE}pull/{batch.pk}", auth("zhan"), {})
    assert resp.status_code == 200 and resp.json()["added"] == [app_id]
    assert call(client, "post", f"{BASE}pull/{batch.pk}", auth("zhan"), {}).json()["added"] == []
    assert Application.objects.get(pk=app_id).batch_item.batch_id == batch.pk


def test_refusals_answer_their_codes(client, rw, auth):
    assert _submit(client, auth, id_number="123").json()["code"] == "APPLICATION_ID_INVALID"
    app_id = _submit(client, auth).json()["id"]
    dup = _submit(client, auth)
    assert (dup.status_code, dup.json()["code"]) == (409, "APPLICATION_DUPLICATE")
    resp = call(client, "post", f"{BASE}{app_id}/village-review", auth("cun"), {})
    assert (resp.status_code, resp.json()["code"]) == (409, "APPLICATION_REVIEW_REQUIRED")
    resp = call(client, "post", f"{BASE}{app_id}/transitions/approve", auth("mz_rev"), {})
    assert (resp.status_code, resp.json()["code"]) == (409, "TRANSITION_NOT_ALLOWED")
    assert call(client, "get", f"{BASE}{app_id}", auth("ny_rev")).status_code == 404  # another department
    assert call(client, "get", BASE, auth("ny_rev")).json() == []
    resp = call(client, "post", f"{BASE}{app_id}/transitions/refuse", auth("cun"), {"reason": ""})
    assert (resp.status_code, resp.json()["code"]) == (400, "REASON_REQUIRED")
    resp = call(client, "post", f"{BASE}{app_id}/transitions/refuse", auth("cun"), {"reason": "不符合条件"})
    assert resp.json()["refusal_reason"] == "不符合条件"
    assert [a["state"] for a in call(client, "get", f"{BASE}?state=refused", auth("cun")).json()] == ["refused"]


def test_policy_api_carries_the_intake_marker(client, rw, auth):
    resp = call(client, "get", f"/api/policies/policies/{rw.policy.pk}", auth("mz_rev"))
    assert (resp.json()["intake"], resp.json()["democratic_review"]) == ("application", True)
