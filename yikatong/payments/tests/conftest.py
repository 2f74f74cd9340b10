"""The payments tests run in the payments world of the root conftest (pw: a county batch, the treasury
user, an agent bank with its agreement and the bank drop box); here an order answered by the bank and the
collect helper."""
import pytest

from tests.support.scenarios import answered_order
from yikatong.banksim.options import SimOptions
from yikatong.payments import services


@pytest.fixture
def sent(pw, batch):
    """The batch approved, its order sent, the bank's answer (one failed line) not yet ingested:
    (order, answer)."""
    return answered_order(batch, pw, SimOptions(fail_seq={2: "E01"}))


@pytest.fixture
def collect(pw, django_capture_on_commit_callbacks):
    """services.bank_inbox_collect as the treasury, with the on-commit archive run as it would be at the commit."""
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return services.bank_inbox_collect(actor=pw.users["gk"], connector=pw.connector)
    return run


@pytest.fixture
def with_bans(monkeypatch):
    """The payments world walks batches under profile 000, whose seed lists no bans: switch seed 004's bans
    on for it (bans apply only where the profile lists them, payments.bans)."""
    import dataclasses

    from yikatong.core.profiles import PROFILES

    monkeypatch.setitem(PROFILES, "000", dataclasses.replace(PROFILES["000"], bans=PROFILES["004"].bans))


@pytest.fixture
def with_clearing(monkeypatch):
    """Year-end clearing is seed 004's (LocalProfile.year_end_clearing); switch it on for the 000 world."""
    import dataclasses

    from yikatong.core.profiles import PROFILES

    monkeypatch.setitem(PROFILES, "000", dataclasses.replace(PROFILES["000"], year_end_clearing=True))
