"""Permission matrix of the main write views (anonymous / wrong role / wrong region / right role):
refused requests change nothing. Plus every page renders in Chinese for the right people."""
import pytest
from django.test import override_settings
from django.urls import reverse

from tests.support.env import as_user as _as
from tests.support.factories import make_spec
from tests.support.scenarios import publish
from yikatong.audit.models import AuditEvent
from yikatong.policies import services
from yikatong.policies.models import ChangeKind, ChangeRequestStep, Policy, PolicyCatalogue, PolicyChangeRequest

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(PolicyCatalogue.objects.order_by("pk").values_list("pk", "state")),
        list(Policy.objects.order_by("pk").values_list("pk", "name", "rate_fen")),
        PolicyChangeRequest.objects.count(),
        ChangeRequestStep.objects.exclude(decision="").count(),
        AuditEvent.objects.exclude(action__startswith="accounts.").count(),
    )


def _check(resp, who, expected_ok_status=302):
    if who == "anonymous":
        assert resp.status_code == 302 and resp["Location"].startswith("/login/")
    elif who == "wrong_role":
        assert resp.status_code == 403
    elif who == "wrong_region":
        assert resp.status_code in (403, 404)
    else:
        assert resp.status_code == expected_ok_status


POLICY_POST = {
    "code": "HT-9", "name": "困难群众取暖补贴", "line": "mz", "target_group": "low_income", "unit": "household",
    "rate_yuan": "300", "frequency": "yearly", "share_county": "100", "share_central": "0", "share_province": "0",
    "share_prefecture": "0", "disburser": "township", "carrier": "sscard", "residence_required": "on",
    "basis_text": "洪政发〔2025〕8号|关于发放困难群众取暖补贴的通知|2025-10-01",
}


@pytest.mark.parametrize("who,user", [("anonymous", None), ("wrong_role", "mz_rev"), ("right", "fin")])
def test_create_catalogue(client, world, who, user):
    before = _snapshot()
    resp = _as(client, world.users.get(user)).post(reverse("policy_catalogue_create"), {"year": 2027})
    _check(resp, who)
    if who == "right":
        assert PolicyCatalogue.objects.get().year == 2027
    else:
        assert _snapshot() == before


@pytest.mark.parametrize("who,user", [("anonymous", None), ("wrong_role", "mz_head"), ("wrong_region", "other_fin"),
                                      ("right", "fin")])
def test_submit_catalogue(client, world, who, user):
    cat = services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2026)
    before = _snapshot()
    resp = _as(client, world.users.get(user)).post(reverse("policy_catalogue_transition", args=[cat.pk, "submit"]))
    _check(resp, who)
    cat.refresh_from_db()
    assert (cat.state == "submitted") is (who == "right")
    if who != "right":
        assert _snapshot() == before


@pytest.mark.parametrize("who,user", [("anonymous", None), ("wrong_role", "op"), ("wrong_region", "other_fin"),
                                      ("right", "mz_rev")])
def test_add_policy(client, world, who, user):
    cat = services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2026)
    before = _snapshot()
    data = {**POLICY_POST, "department": world.orgs["mz"].pk}
    resp = _as(client, world.users.get(user)).post(reverse("policy_add", args=[cat.pk]), data)
    _check(resp, who)
    if who == "right":
        policy = Policy.objects.get()
        assert (policy.rate_fen, policy.share_county_bp, policy.unit) == (30000, 10000, "household")
        assert policy.basis_documents.get().number == "洪政发〔2025〕8号"
    else:
        assert _snapshot() == before


def test_policy_form_reports_errors_in_chinese(client, world):
    cat = services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2026)
    data = {**POLICY_POST, "department": world.orgs["mz"].pk, "share_county": "90", "tiers_text": "1|一级"}
    body = _as(client, world.users["fin"]).post(reverse("policy_add", args=[cat.pk]), data).content.decode()
    assert 'data-code="POLICY_TIER_LINE_FORMAT"' in body and not Policy.objects.exists()
    data["tiers_text"] = ""
    body = client.post(reverse("policy_add", args=[cat.pk]), data).content.decode()
    assert 'data-code="POLICY_SHARES_NOT_FULL"' in body and "90%" in body and not Policy.objects.exists()


@pytest.mark.parametrize("who,user", [("anonymous", None), ("wrong_role", "ny_rev"), ("wrong_region", "other_fin"),
                                      ("right", "mz_head")])
def test_edit_policy(client, world, who, user):
    cat = services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2026)
    policy = services.policy_add(actor=world.users["fin"], catalogue=cat, spec=make_spec("HT-9", world.orgs["mz"]))
    before = _snapshot()
    data = {**POLICY_POST, "department": world.orgs["mz"].pk, "rate_yuan": "350"}
    resp = _as(client, world.users.get(user)).post(reverse("policy_edit", args=[policy.pk]), data)
    _check(resp, who)
    policy.refresh_from_db()
    assert (policy.rate_fen == 35000) is (who == "right")
    if who != "right":
        assert _snapshot() == before


@pytest.fixture
def published(world):
    return publish(world, "county", "fin", "city_fin", [make_spec("HT-1", world.orgs["mz"])])


@pytest.mark.parametrize("who,user", [("anonymous", None), ("wrong_role", "fin"), ("wrong_region", "other_fin"),
                                      ("right", "mz_rev")])
def test_file_change_request(client, world, published, who, user):
    before = _snapshot()
    data = {**POLICY_POST, "code": "HT-1", "department": world.orgs["mz"].pk, "kind": "change", "reason": "提标"}
    url = reverse("policy_change_create", args=[published.pk]) + "?code=HT-1"
    resp = _as(client, world.users.get(user)).post(url, data)
    _check(resp, who)
    if who == "right":
        change = PolicyChangeRequest.objects.get()
        assert change.proposed["rate_fen"] == 30000 and change.steps.count() == 2
    else:
        assert _snapshot() == before


@pytest.mark.parametrize("who,user", [("anonymous", None), ("wrong_role", "ny_rev"), ("wrong_region", "other_fin"),
                                      ("right", "mz_head")])
def test_decide_change_request(client, world, published, who, user):
    change = services.change_request_file(actor=world.users["mz_rev"], catalogue=published, kind=ChangeKind.RETIRE,
                                          policy_code="HT-1", reason="整合")
    before = _snapshot()
    resp = _as(client, world.users.get(user)).post(reverse("policy_change_decide", args=[change.pk]),
                                                   {"decision": "approve", "comment": "同意"})
    _check(resp, who)
    change.refresh_from_db()
    assert (change.current_step == 1) is (who == "right")
    if who != "right":
        assert _snapshot() == before


@override_settings(YKT_PROFILE="001")
def test_pages_render_for_the_people_who_use_them(client, world, published):
    change = services.change_request_file(actor=world.users["mz_rev"], catalogue=published, kind=ChangeKind.CHANGE,
                                          policy_code="HT-1", spec=make_spec("HT-1", world.orgs["mz"], rate_fen=1),
                                          reason="提标")
    for step in ("mz_head", "city_mayor", "prov_mz_head", "prov_fin"):
        services.change_request_decide(actor=world.users[step], request=change, approve=True)
    change.refresh_from_db()
    v2 = change.result_catalogue
    policy = v2.policies.get()
    mz = _as(client, world.users["mz_rev"])
    pages = [
        (reverse("policy_catalogues"), "补贴政策清单"),
        (reverse("policy_catalogue", args=[v2.pk]), "申请调整"),
        (reverse("policy_catalogue_diff", args=[v2.pk]), "¥0.01/人"),
        (reverse("policy_detail", args=[policy.pk]), "晋政发〔2025〕1号"),
        (reverse("policy_changes"), change.number),
        (reverse("policy_change", args=[change.pk]), "省财政厅"),
        (reverse("policy_change_create", args=[v2.pk]) + "?kind=retire&code=HT-1", "调整变更申请表"),
    ]
    for url, text in pages:
        resp = mz.get(url)
        assert resp.status_code == 200 and text in resp.content.decode(), url
    fin = _as(client, world.users["fin"])
    assert "编制新年度清单" in fin.get(reverse("policy_catalogues")).content.decode()
    assert fin.get(reverse("policy_catalogue_create")).status_code == 200
    draft = services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2027)
    body = fin.get(reverse("policy_catalogue", args=[draft.pk])).content.decode()
    assert "报送备案" in body and "添加政策" in body
    assert fin.get(reverse("policy_edit", args=[draft.policies.get().pk])).status_code == 200


def test_basis_document_upload_only_into_a_draft(client, world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    cat = services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2026)
    policy = services.policy_add(actor=world.users["fin"], catalogue=cat, spec=make_spec("HT-1", world.orgs["mz"]))
    basis = policy.basis_documents.get()
    url = reverse("policy_basis_upload", args=[basis.pk])
    fin = _as(client, world.users["fin"])
    fin.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ")})
    basis.refresh_from_db()
    assert not basis.file
    assert _as(client, world.users["ny_rev"]).post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF")}).status_code == 403
    _as(client, world.users["fin"]).post(url, {"file": SimpleUploadedFile("通知.pdf", b"%PDF-1.4")})
    basis.refresh_from_db()
    assert basis.file and str(settings.STORAGES["default"]["OPTIONS"]["location"]) in basis.file.path
    assert client.get(reverse("policy_basis_file", args=[basis.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="policies.basis_file").count() == 1
