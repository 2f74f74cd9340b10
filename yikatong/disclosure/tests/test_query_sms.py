"""SMS code of the self-query (LocalProfile.self_query_sms_code; query_codes): off in every profile; when on,
the code goes to the registered phone through the SMS gateway, the answer only for the right code, the same
response whether or not the person exists, codes expire, attempts are limited, nothing of the code is stored,
audit without the clear ID or phone."""
import dataclasses
import re

import pytest
from django.core import signing
from django.urls import reverse

from tests.support import factories
from yikatong.audit.models import AuditEvent
from yikatong.core.crypto import vault
from yikatong.core.profiles import PROFILES
from yikatong.disclosure.errors import DisclosureError
from yikatong.disclosure.query import Answer
from yikatong.disclosure.query_codes import CODE_ATTEMPTS, CodeSent
from yikatong.disclosure.query_service import self_query, self_query_confirm
from yikatong.disclosure.tests.test_query import ID_A, ID_NOBODY, people  # noqa: F401 - the fixture
from yikatong.jobs.models import Job
from yikatong.payments.sms import SmsBackend

PHONE = "13800001234"


class Recorder(SmsBackend):
    sent: list = []

    def send(self, phone, text):
        Recorder.sent.append((phone, text))


@pytest.fixture
def sms_on(people, regions, settings, monkeypatch):
    """Profile with the SMS code on; A (张三) in the register with a phone; SMS through the Recorder."""
    code = settings.YKT_PROFILE
    monkeypatch.setitem(PROFILES, code, dataclasses.replace(PROFILES[code], self_query_sms_code=True))
    settings.YKT_SMS_BACKEND = f"{__name__}.Recorder"
    settings.YKT_SELF_QUERY_CHALLENGE_AFTER = 100
    person = factories.person(regions["village1"], ID_A, "张三")
    person.phone_enc, person.phone_bidx = vault().encrypt(PHONE), vault().index(PHONE)
    person.save(update_fields=["phone_enc", "phone_bidx"])
    Recorder.sent = []
    return people


def _ask(capture, id_number, name, client="10.6.0.1"):
    with capture(execute=True):  # the sending job runs once the request's transaction commits
        return self_query(client=client, id_number=id_number, name=name)


def _code() -> str:
    return re.search(r"验证码为(\d{6})", Recorder.sent[-1][1]).group(1)


def test_off_in_every_profile():
    assert not any(p.self_query_sms_code for p in PROFILES.values())


def test_code_to_the_registered_phone_and_the_answer_only_for_it(sms_on, django_capture_on_commit_callbacks):
    sent = _ask(django_capture_on_commit_callbacks, ID_A, "张三")
    assert isinstance(sent, CodeSent) and sent.minutes == 5
    assert [phone for phone, _ in Recorder.sent] == [PHONE]
    code = _code()
    with pytest.raises(DisclosureError) as exc:
        self_query_confirm(client="10.6.0.1", token=sent.token, code=f"{(int(code) + 1) % 10**6:06d}")
    assert exc.value.code == "SELF_QUERY_CODE_WRONG"
    answer = self_query_confirm(client="10.6.0.1", token=sent.token, code=code)
    assert isinstance(answer, Answer) and {r.policy for r in answer.payments} == {"城乡居民最低生活保障", "耕地地力保护补贴"}
    with pytest.raises(DisclosureError) as exc:  # one answer per code
        self_query_confirm(client="10.6.0.1", token=sent.token, code=code)
    assert exc.value.code == "SELF_QUERY_CODE_EXPIRED"


def _page(response) -> str:
    text = response.content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|name="code_token" value=")[^"]+', r"\1", text)


def test_same_response_whether_or_not_the_person_exists(sms_on, client, django_capture_on_commit_callbacks):
    url = reverse("public_self_query")
    pages = []
    for id_number, name in ((ID_A, "张三"), (ID_A, "张四"), (ID_NOBODY, "张三")):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"id_number": id_number, "name": name})
        assert response.status_code == 200
        pages.append(_page(response))
    assert pages[0] == pages[1] == pages[2]
    assert 'data-testid="code-sent"' in pages[0] and "1234" not in pages[0] and ID_A not in pages[0]
    assert len(Recorder.sent) == 1  # only the real person got a code
    assert Job.objects.filter(kind__endswith="self_query_code_job").count() == 3  # the same work for all three
    right = client.post(url, {"code_token": re.search(r'name="code_token" value="([^"]+)"',
                                                      _first_token_page(client, url)).group(1), "code": "000000"})
    assert right.status_code == 400 and "验证码不正确" in right.content.decode()


def _first_token_page(client, url) -> str:
    return client.post(url, {"id_number": ID_NOBODY, "name": "某人"}).content.decode()


def test_the_page_shows_the_answer_after_the_right_code(sms_on, client, django_capture_on_commit_callbacks):
    url = reverse("public_self_query")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"id_number": ID_A, "name": "张三"}).content.decode()
    assert "500.00" not in first
    token = re.search(r'name="code_token" value="([^"]+)"', first).group(1)
    page = client.post(url, {"code_token": token, "code": _code()}).content.decode()
    assert "500.00" in page and "尾号 1234" in page


def test_a_code_expires_after_five_minutes(sms_on, django_capture_on_commit_callbacks, monkeypatch):
    sent = _ask(django_capture_on_commit_callbacks, ID_A, "张三")
    now = signing.time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 301)
    with pytest.raises(DisclosureError) as exc:
        self_query_confirm(client="10.6.0.1", token=sent.token, code=_code())
    assert exc.value.code == "SELF_QUERY_CODE_EXPIRED"


def test_attempts_are_limited(sms_on, django_capture_on_commit_callbacks):
    sent = _ask(django_capture_on_commit_callbacks, ID_A, "张三")
    wrong = f"{(int(_code()) + 1) % 10**6:06d}"
    for _ in range(CODE_ATTEMPTS):
        with pytest.raises(DisclosureError):
            self_query_confirm(client="10.6.0.1", token=sent.token, code=wrong)
    with pytest.raises(DisclosureError) as exc:  # even the right code, now
        self_query_confirm(client="10.6.0.1", token=sent.token, code=_code())
    assert exc.value.code == "SELF_QUERY_CODE_ATTEMPTS"
    with pytest.raises(DisclosureError) as exc:
        self_query_confirm(client="10.6.0.1", token=sent.token[:-2] + "xx", code=_code())
    assert exc.value.code == "SELF_QUERY_CODE_EXPIRED"  # a forged token


def test_codes_per_id_number_are_limited_known_or_not(sms_on, settings, django_capture_on_commit_callbacks):
    settings.YKT_SELF_QUERY_SMS_RATE = "2/hour"
    for id_number, name in ((ID_A, "张三"), (ID_NOBODY, "某人")):
        _ask(django_capture_on_commit_callbacks, id_number, name)
        _ask(django_capture_on_commit_callbacks, id_number, name, client="10.6.0.2")
        with pytest.raises(DisclosureError) as exc:
            _ask(django_capture_on_commit_callbacks, id_number, name, client="10.6.0.3")
        assert exc.value.code == "SELF_QUERY_SMS_RATE_LIMITED" and exc.value.http_status == 429
    assert len(Recorder.sent) == 2


def test_nothing_of_the_code_the_id_or_the_phone_is_stored_in_clear(sms_on, django_capture_on_commit_callbacks):
    before = AuditEvent.objects.count()
    sent = _ask(django_capture_on_commit_callbacks, ID_A, "张三")
    code = _code()
    self_query_confirm(client="10.6.0.1", token=sent.token, code=code)
    events = list(AuditEvent.objects.order_by("seq")[before:])
    outcomes = [e.after.get("outcome") for e in events if e.action == "disclosure.self_query"]
    assert outcomes == ["code_sent", "hit"]
    stored = " ".join(f"{e.object_id} {e.object_repr} {e.before} {e.after}" for e in events)
    stored += " ".join(str(j.params) + str(j.result) + j.message for j in Job.objects.all())
    for clear in (ID_A, PHONE, PHONE[-4:], code, "张三"):
        assert clear not in stored
    job = Job.objects.get(kind__endswith="self_query_code_job")
    assert set(job.params) == {"nonce", "person"}
    assert ID_A not in sent.token and "张三" not in signing.loads(sent.token, salt="disclosure.query.sms-code")["q"]
