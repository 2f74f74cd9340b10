import pytest

from tests.support import factories
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role


@pytest.fixture
def agreement(make_user, regions, settings):
    settings.YKT_PROFILE = "000"
    admin = make_user("bankadmin", Role.SYSADMIN)
    fin = factories.organization(regions["county"], OrgKind.FINANCE_BUREAU, code="F1", name="洪洞县财政局")
    return factories.agent_bank_agreement(admin=admin, payer=fin, region=regions["county"])
