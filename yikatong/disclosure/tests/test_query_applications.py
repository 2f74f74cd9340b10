"""Self-query and applications (applications.selectors.public_status): a refused application is shown with its
reason, both for a person with payments and for an applicant who was never on a roster or in the register;
a wrong name shows nothing."""
import re

import pytest
from django.urls import reverse

from yikatong.applications import services as applications
from yikatong.applications.tests.support import application_policy, submit
from yikatong.disclosure.query_service import self_query
from yikatong.disclosure.tests.test_query import ID_A, people  # noqa: F401 - the fixture
from yikatong.rosters.tests.files import card

REASON = "经民主评议，家庭人均收入超过保障标准"


def _refused(rw, regions, id_number, name):
    application_policy(rw)
    app = applications.application_submit(actor=rw.users["cun"], policy=rw.policy, year=2026,
                                          village=regions["village1"], name=name, id_number=id_number,
                                          account_no=card(41), bank_name="洪洞农商行", phone="13812345678")
    return applications.application_refuse(actor=rw.users["cun"], application_id=app.pk, reason=REASON)


def test_refused_application_with_its_reason_beside_the_payments(people, regions, client, settings):
    settings.YKT_SELF_QUERY_CHALLENGE_AFTER = 100
    _refused(people, regions, ID_A, "张三")
    answer = self_query(client="10.3.0.1", id_number=ID_A, name="张三")
    assert answer.payments  # A's payments are still there
    assert [(a["state"], a["refusal_reason"], a["state_label"]) for a in answer.applications] == [
        ("refused", REASON, "不予通过")]
    page = client.post(reverse("public_self_query"), {"id_number": ID_A, "name": "张三"}).content.decode()
    assert "不予通过" in page and f"未通过原因：{REASON}" in page
    wrong = self_query(client="10.3.0.2", id_number=ID_A, name="张四")
    assert not wrong.found and wrong.applications == []


def test_an_applicant_never_rostered_sees_the_refusal(rw, regions):
    from yikatong.rosters.tests.files import id_number

    applicant = id_number(42)  # not in the register, on no roster
    _refused(rw, regions, applicant, "钱八")
    answer = self_query(client="10.3.0.3", id_number=applicant, name="钱八")
    assert answer.found and answer.payments == []
    assert [(a["state"], a["refusal_reason"]) for a in answer.applications] == [("refused", REASON)]
    assert self_query(client="10.3.0.4", id_number=applicant, name="钱九").applications == []
    assert re.fullmatch(r"\d{17}[\dX]", applicant)
