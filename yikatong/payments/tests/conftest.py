"""A county batch approved by finance, an agent bank with its agreement, the treasury user and the
bank drop box in a temporary folder. Reuses the roster fixtures (rw, batch)."""
import pytest

from yikatong.accounts.models import Organization, OrgKind
from yikatong.accounts.roles import Role
from yikatong.payments import services
from yikatong.payments import banks as exchange
from yikatong.payments.exchange.connector import OutboxConnector
from yikatong.payments.tests.support import DAY, HEADER, KEY
from yikatong.rosters.tests.conftest import batch, rw  # noqa: F401  (fixtures)


@pytest.fixture
def pw(rw, regions, make_user, settings, tmp_path):  # noqa: F811
    settings.YKT_PROFILE = "000"
    settings.YKT_BANK_OUTBOX = tmp_path / "outbox"
    settings.YKT_BANK_INBOX = tmp_path / "inbox"
    admin = make_user("bankadmin", Role.SYSADMIN)
    rw.user("gk", "czj", Role.TREASURY)
    org = Organization.objects.create(name="洪洞农商行", kind=OrgKind.AGENT_BANK, region=regions["county"], code="B1")
    bank = exchange.create_agent_bank(actor=admin, code=HEADER["bank_code"], name="洪洞农商行", organization=org)
    rw.agreement = exchange.create_agreement(
        actor=admin, bank=bank, payer=rw.orgs["czj"], payer_account=HEADER["payer_account"],
        payer_name=HEADER["payer_name"], mac_key=KEY, valid_from=DAY)
    rw.connector = OutboxConnector()
    return rw


@pytest.fixture
def collect(pw, django_capture_on_commit_callbacks):
    """services.collect as the treasury, with the on-commit archive run as it would be at the commit."""
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return services.collect(actor=pw.users["gk"], connector=pw.connector)
    return run
