"""The simulator page: login required, sysadmin or bank role, each sees only their banks' files."""
import pytest
from django.urls import reverse

from conftest import PASSWORD
from yikatong.accounts.models import Organization, OrgKind
from yikatong.accounts.roles import Role
from yikatong.banksim.models import SimReceivedFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(agreement, regions):
    other_org = Organization.objects.create(name="榆次银行", kind=OrgKind.AGENT_BANK, region=regions["other_county"],
                                            code="B2")
    from yikatong.payments.models import AgentBank

    AgentBank.objects.create(code="YC01", name="榆次银行", organization=other_org)
    for bank in ("ABC01", "YC01"):
        SimReceivedFile.objects.create(bank_code=bank, batch_no="141024-2026-000001", sha256="0" * 64, size=1,
                                       filename=f"YKT1_{bank}_141024-2026-000001_P.txt", answer_kind="R",
                                       answer_filename=f"YKT1_{bank}_141024-2026-000001_R.txt", ok_count=1, ok_fen=12345)
    return agreement


def _get(client, user):
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client.get(reverse("banksim_files"))


def test_anonymous_goes_to_login(client, files):
    resp = _get(client, None)
    assert resp.status_code == 302 and resp["Location"].startswith("/login/")


def test_wrong_role_is_refused(client, files, make_user):
    assert _get(client, make_user("op", Role.TREASURY)).status_code == 403


def test_bank_staff_see_their_bank_only(client, files, make_user):
    user = make_user("teller", Role.BANK, kind=OrgKind.AGENT_BANK)
    user.organization = files.bank.organization
    user.save()
    body = _get(client, user).content.decode()
    assert "YKT1_ABC01_" in body and "YKT1_YC01_" not in body and "仅供演示和测试" in body and "¥123.45" in body


def test_sysadmin_sees_banks_in_their_region(client, files, make_user, regions):
    body = _get(client, make_user("a1", Role.SYSADMIN)).content.decode()
    assert "YKT1_ABC01_" in body and "YKT1_YC01_" not in body
    body = _get(client, make_user("a2", Role.SYSADMIN, region=regions["province"])).content.decode()
    assert "YKT1_ABC01_" in body and "YKT1_YC01_" in body
