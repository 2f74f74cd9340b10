"""The public policy list: no login, published catalogues only, never a confidential policy —
not on the page, not in the Excel export, not in the API."""
import io

import pytest
from django.core.files.base import ContentFile
from python_calamine import CalamineWorkbook

from conftest import PASSWORD
from tests.support.factories import make_spec
from tests.support.scenarios import publish
from yikatong.policies import services
from yikatong.policies.choices import TargetGroup

pytestmark = pytest.mark.django_db

SECRET = "涉密安置补助"


@pytest.fixture
def catalogues(world):
    publish(world, "province", "prov_fin", "prov_fin", [
        make_spec("SX-DB", world.orgs["prov_mz"], name="城乡居民最低生活保障"),
        make_spec("SX-MI", world.orgs["prov_mz"], name=SECRET, confidential=True),
    ])
    county = publish(world, "county", "fin", "city_fin", [
        make_spec("HT-GL", world.orgs["mz"], name="高龄津贴", target_group=TargetGroup.ELDERLY),
        make_spec("HT-NY", world.orgs["nync"], name="耕地地力保护补贴", target_group=TargetGroup.FARMER),
    ])
    draft = services.catalogue_create(actor=world.users["city_fin"], region=world.regions["city"], year=2026)
    services.policy_add(actor=world.users["city_fin"], catalogue=draft, spec=make_spec("LF-X", world.orgs["city_mz"],
                                                                                     name="未公布的市级草稿政策"))
    basis = county.policies.get(code="HT-GL").basis_documents.get()
    basis.file.save("gl.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return county


def test_public_list_needs_no_login_and_hides_confidential(client, catalogues):
    body = client.get("/public/policies/141024/?year=2026").content.decode()
    assert "城乡居民最低生活保障" in body and "高龄津贴" in body and "耕地地力保护补贴" in body
    assert SECRET not in body and "未公布的市级草稿政策" not in body
    assert client.get("/public/policies/141024/SX-MI/?year=2026").status_code == 404
    detail = client.get("/public/policies/141024/HT-GL/?year=2026").content.decode()
    assert "晋政发〔2025〕1号" in detail and "¥500.00/人" in detail
    # the other county sees the province list only
    other = client.get("/public/policies/140702/?year=2026").content.decode()
    assert "城乡居民最低生活保障" in other and "高龄津贴" not in other and SECRET not in other


def test_public_filters_by_department_and_target(client, catalogues):
    body = client.get("/public/policies/141024/", {"year": 2026, "target": "farmer"}).content.decode()
    assert "耕地地力保护补贴" in body and "高龄津贴" not in body
    body = client.get("/public/policies/141024/", {"year": 2026, "department": "洪洞县民政局"}).content.decode()
    assert "高龄津贴" in body and "耕地地力保护补贴" not in body


def test_public_export_has_no_confidential_policy(client, catalogues):
    resp = client.get("/public/policies/141024/export.xlsx?year=2026")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(resp.content)).get_sheet_by_index(0).to_python()
    names = {row[2] for row in rows[2:]}
    assert names == {"城乡居民最低生活保障", "高龄津贴", "耕地地力保护补贴"}
    assert SECRET not in str(rows)


def test_public_basis_document_and_index(client, catalogues):
    basis = catalogues.policies.get(code="HT-GL").basis_documents.get()
    resp = client.get(f"/public/policies/141024/HT-GL/basis/{basis.pk}/?year=2026")
    assert resp.status_code == 200 and b"".join(resp.streaming_content).startswith(b"%PDF")
    index = client.get("/public/policies/?year=2026").content.decode()
    assert "洪洞县" in index and "山西省" in index
    assert client.get("/public/policies/?region=141024").status_code == 302
    assert client.get("/public/policies/nonsense/").status_code == 404


def _names(client, url):
    return {p["name"] for p in client.get(url).json()["policies"]}


def test_api_never_leaks_confidential_policies(client, world, catalogues):
    client.login(username="cun", password=PASSWORD)  # a village clerk: publishes notices
    names = {p["name"] for p in client.get("/api/policies/published/141024?year=2026").json()}
    assert names == {"城乡居民最低生活保障", "高龄津贴", "耕地地力保护补贴"}
    names = {p["name"] for p in client.get("/api/policies/payable?region=141024100000&year=2026").json()}
    assert SECRET not in names and "高龄津贴" in names
    province = world.regions["province"].policy_catalogues.get()
    assert _names(client, f"/api/policies/catalogues/{province.pk}") == {"城乡居民最低生活保障"}
    client.logout()
    client.login(username="fin", password=PASSWORD)  # finance needs the whole list, confidential included
    assert SECRET in _names(client, f"/api/policies/catalogues/{province.pk}")
    assert SECRET not in {p["name"] for p in client.get("/api/policies/published/141024?year=2026").json()}
    client.logout()
    assert client.get("/api/policies/published/141024").status_code == 401
