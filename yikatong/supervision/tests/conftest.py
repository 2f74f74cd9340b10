"""The planted roster of the checks tests, checked once, and the people of supervision."""
import pytest

from yikatong.checks import services as check_services
from yikatong.checks.models import Finding


@pytest.fixture
def checked(planted):
    check_services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    return planted


@pytest.fixture
def people(rw, make_user, regions):
    return {
        "sup": make_user("jiwei", "supervisor"),  # county discipline inspection
        "sup_other": make_user("jiwei2", "supervisor", region=regions["other_county"]),
        "fin": rw.users["fin"], "zhan": rw.users["zhan"], "czs": rw.users["czs"], "cun": rw.users["cun"],
        "other_fin": rw.users["other_fin"],
    }


def finding(code: str) -> Finding:
    return Finding.objects.get(rule__code=code)


def transfer(actor, code: str, reason: str = "疑似冒领，移送纪委核查", **kw) -> Finding:
    return check_services.finding_dispose(actor=actor, finding_id=finding(code).pk, decision="transferred", reason=reason,
                                  **kw)
