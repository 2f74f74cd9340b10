import pytest

from yikatong.accounts.models import Organization, OrgKind
from yikatong.accounts.roles import Role
from yikatong.payments import banks as services
from yikatong.payments.tests.support import DAY, HEADER, KEY


@pytest.fixture
def agreement(make_user, regions, settings):
    settings.YKT_PROFILE = "000"
    admin = make_user("bankadmin", Role.SYSADMIN)
    org = Organization.objects.create(name="洪洞农商行", kind=OrgKind.AGENT_BANK, region=regions["county"], code="B1")
    fin = Organization.objects.create(name="洪洞县财政局", kind=OrgKind.FINANCE_BUREAU, region=regions["county"], code="F1")
    bank = services.create_agent_bank(actor=admin, code=HEADER["bank_code"], name="洪洞农商行", organization=org)
    return services.create_agreement(actor=admin, bank=bank, payer=fin, payer_account=HEADER["payer_account"],
                                     payer_name=HEADER["payer_name"], mac_key=KEY, valid_from=DAY)
