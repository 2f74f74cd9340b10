"""The payments tests run in the payments world of the root conftest (pw: a county batch, the treasury
user, an agent bank with its agreement and the bank drop box); here the collect helper."""
import pytest

from yikatong.payments import services


@pytest.fixture
def collect(pw, django_capture_on_commit_callbacks):
    """services.collect as the treasury, with the on-commit archive run as it would be at the commit."""
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return services.collect(actor=pw.users["gk"], connector=pw.connector)
    return run
