"""The policy catalogue API's writes through HTTP with bearer tokens (issue 17): catalogue creation
and transitions, policies of a draft, basis documents and change requests — each through the service
the pages call (403 with its code, 404 outside the caller's scope, 409 for a state, audit event)."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support.api import Tokens, call
from tests.support.factories import make_spec
from tests.support.scenarios import publish
from yikatong.audit.models import AuditEvent
from yikatong.policies import services
from yikatong.policies.models import PolicyCatalogue

pytestmark = pytest.mark.django_db

SPEC = {"code": "HT-5", "name": "临时救助", "line": "mz", "target_group": "low_income", "frequency": "monthly",
        "rate_fen": 30000, "share_county_bp": 10000,
        "basis": [{"number": "洪政发〔2026〕1号", "title": "关于临时救助的通知"}]}


@pytest.fixture
def tokens(world):
    return Tokens(world)


@pytest.fixture
def draft(world, regions):
    return services.catalogue_create(actor=world.users["fin"], region=regions["county"], year=2027,
                                     copy_from_last_year=False)


@pytest.fixture
def published(world):
    return publish(world, "county", "fin", "city_fin", [make_spec("HT-1", world.orgs["mz"])])


def test_catalogue_create_and_transitions(client, world, tokens):
    wrong = call(client, "post", "/api/policies/catalogues", tokens("mz_rev"), {"year": 2027})
    assert wrong.status_code == 403 and wrong.json()["code"] == "CATALOGUE_CREATE_NOT_FINANCE"
    made = call(client, "post", "/api/policies/catalogues", tokens("fin"), {"year": 2027, "copy_from_last_year": False})
    assert made.status_code == 201, made.content
    cid = made.json()["id"]
    assert made.json()["state"] == "draft" and AuditEvent.objects.filter(action="policies.catalogue_create").exists()
    again = call(client, "post", "/api/policies/catalogues", tokens("fin"), {"year": 2027})
    assert again.status_code == 409 and again.json()["code"] == "CATALOGUE_EXISTS"

    url = f"/api/policies/catalogues/{cid}/transitions"
    assert call(client, "post", f"{url}/submit", tokens("other_fin"), {}).status_code == 404
    not_now = call(client, "post", f"{url}/publish", tokens("fin"), {})
    assert not_now.status_code == 409 and not_now.json()["code"] == "CATALOGUE_TRANSITION_NOT_ALLOWED"
    ok = call(client, "post", f"{url}/submit", tokens("fin"), {})
    assert ok.status_code == 200 and ok.json()["state"] == "submitted"
    assert AuditEvent.objects.filter(action="policies.catalogue_submit").exists()
    wrong = call(client, "post", f"{url}/file", tokens("fin"), {})
    assert wrong.status_code == 403 and wrong.json()["code"] == "CATALOGUE_TRANSITION_WRONG_ROLE"
    no_reason = call(client, "post", f"{url}/return", tokens("city_fin"), {"reason": ""})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "CATALOGUE_REASON_REQUIRED"
    assert call(client, "post", f"{url}/file", tokens("city_fin"), {}).json()["state"] == "filed"


def test_policy_add_update_remove(client, world, draft, tokens):
    url = f"/api/policies/catalogues/{draft.pk}/policies"
    assert call(client, "post", url, tokens("other_fin"), SPEC).status_code == 404
    wrong = call(client, "post", url, tokens("ny_rev"), {**SPEC, "department_id": world.orgs["mz"].pk})
    assert wrong.status_code == 403 and wrong.json()["code"] == "POLICY_EDIT_NOT_ALLOWED"  # another department's
    added = call(client, "post", url, tokens("mz_rev"), SPEC)  # a department: its own policy
    assert added.status_code == 201, added.content
    pid = added.json()["id"]
    body = added.json()
    assert body["code"] == "HT-5" and body["rate_fen"] == 30000 and body["basis"][0]["number"] == "洪政发〔2026〕1号"
    assert AuditEvent.objects.filter(action="policies.policy_add").exists()
    dup = call(client, "post", url, tokens("fin"), {**SPEC, "department_id": world.orgs["mz"].pk})
    assert dup.status_code == 400 and dup.json()["code"] == "POLICY_CODE_IN_CATALOGUE"

    assert call(client, "get", f"/api/policies/policies/{pid}", tokens("fin")).json()["name"] == "临时救助"
    updated = call(client, "post", f"/api/policies/policies/{pid}", tokens("mz_rev"), {**SPEC, "rate_fen": 35000})
    assert updated.status_code == 200 and updated.json()["rate_fen"] == 35000
    assert AuditEvent.objects.filter(action="policies.policy_update").exists()
    denied = call(client, "post", f"/api/policies/policies/{pid}", tokens("ny_rev"), {**SPEC, "rate_fen": 1})
    assert denied.status_code == 403 and denied.json()["code"] == "POLICY_EDIT_NOT_ALLOWED"
    assert call(client, "post", f"/api/policies/policies/{pid}", tokens("other_fin"), SPEC).status_code == 404

    basis_id = updated.json()["basis"][0]["id"]
    up = client.post(f"/api/policies/basis/{basis_id}/file", {"file": SimpleUploadedFile("通知.pdf", b"%PDF-1.4 x")},
                     **tokens("mz_rev"))
    assert up.status_code == 200 and up.json()["has_file"], up.content
    assert AuditEvent.objects.filter(action="policies.basis_file").exists()
    got = client.get(f"/api/policies/basis/{basis_id}/file", **tokens("fin"))
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 x"
    assert client.get(f"/api/policies/basis/{basis_id}/file", **tokens("other_fin")).status_code == 404
    bad = client.post(f"/api/policies/basis/{basis_id}/file", {"file": SimpleUploadedFile("x.exe", b"MZ")},
                      **tokens("mz_rev"))
    assert bad.status_code == 400 and bad.json()["code"] == "POLICY_BASIS_FILE_TYPE"

    PolicyCatalogue.objects.filter(pk=draft.pk).update(state="submitted")
    frozen = call(client, "post", f"/api/policies/policies/{pid}/remove", tokens("mz_rev"))
    assert frozen.status_code == 409 and frozen.json()["code"] == "CATALOGUE_NOT_DRAFT"
    PolicyCatalogue.objects.filter(pk=draft.pk).update(state="draft")
    removed = call(client, "post", f"/api/policies/policies/{pid}/remove", tokens("mz_rev"))
    assert removed.status_code == 200 and not draft.policies.exists()
    assert AuditEvent.objects.filter(action="policies.policy_remove").exists()


def _file(client, catalogue, auth, **fields):
    return client.post(f"/api/policies/catalogues/{catalogue.pk}/changes", fields, **auth)


def test_change_request_file_and_decide(client, world, published, tokens, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    spec = json.dumps({**SPEC, "code": "HT-1", "name": "政策HT-1", "rate_fen": 62000})
    assert _file(client, published, tokens("other_fin"), kind="change", policy_code="HT-1", reason="x",
                 spec=spec).status_code == 404
    wrong = _file(client, published, tokens("fin"), kind="retire", policy_code="HT-1", reason="x")
    assert wrong.status_code == 403 and wrong.json()["code"] == "CHANGE_NOT_LINE_DEPARTMENT"
    bad = _file(client, published, tokens("mz_rev"), kind="change", policy_code="HT-1", reason="x", spec="{")
    assert bad.status_code == 400 and bad.json()["code"] == "CHANGE_SPEC_UNREADABLE"
    made = _file(client, published, tokens("mz_rev"), kind="change", policy_code="HT-1", reason="按省定标准提高",
                 spec=spec, attachment=SimpleUploadedFile("申请表.pdf", b"%PDF-1.4 req"))
    assert made.status_code == 201, made.content
    cid = made.json()["id"]
    assert made.json()["state"] == "pending" and made.json()["has_attachment"] and made.json()["proposed"]["rate_fen"] == 62000
    assert AuditEvent.objects.filter(action="policies.change_file").exists()
    dup = _file(client, published, tokens("mz_rev"), kind="retire", policy_code="HT-1", reason="x")
    assert dup.status_code == 409 and dup.json()["code"] == "CHANGE_ALREADY_PENDING"

    assert [c["id"] for c in call(client, "get", "/api/policies/changes", tokens("mz_head")).json()] == [cid]
    assert call(client, "get", f"/api/policies/changes/{cid}", tokens("other_fin")).status_code == 404
    att = client.get(f"/api/policies/changes/{cid}/attachment", **tokens("mz_head"))
    assert att.status_code == 200 and b"".join(att.streaming_content) == b"%PDF-1.4 req"

    decide = f"/api/policies/changes/{cid}/decide"
    assert call(client, "post", decide, tokens("other_fin"), {"decision": "approve"}).status_code == 404
    wrong = call(client, "post", decide, tokens("mz_rev"), {"decision": "approve"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "CHANGE_STEP_NOT_YOURS"
    unknown = call(client, "post", decide, tokens("mz_head"), {"decision": "maybe"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "CHANGE_DECISION_UNKNOWN"
    no_reason = call(client, "post", decide, tokens("mz_head"), {"decision": "reject"})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "CHANGE_REJECT_REASON_REQUIRED"
    rejected = call(client, "post", decide, tokens("mz_head"), {"decision": "reject", "comment": "依据不足"})
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    assert AuditEvent.objects.filter(action="policies.change_reject").exists()
    late = call(client, "post", decide, tokens("mz_head"), {"decision": "approve"})
    assert late.status_code == 409 and late.json()["code"] == "CHANGE_NOT_PENDING"
