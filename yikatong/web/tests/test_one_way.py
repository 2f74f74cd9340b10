"""Issue 19: one refusal path (views raise PermissionDenied / web.permissions.Forbidden, handler403
renders the coded page) and one "perform an action and report" helper (web.actions.perform)."""
import pathlib

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from conftest import PASSWORD
from yikatong.accounts.roles import Role
from yikatong.core.refusals import Refusal
from yikatong.web.actions import perform
from yikatong.web.permissions import Forbidden, requires, requires_roles

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _request(user=None, method="post"):
    request = getattr(RequestFactory(), method)("/x/")
    request.user = user
    request._messages = CookieStorage(request)
    return request


def _flashed(request):
    return [(m.level_tag, m.extra_tags, str(m)) for m in get_messages(request)]


def test_no_view_renders_a_forbidden_page_itself():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "yikatong").rglob("*.py")
                 if "tests" not in p.parts and "forbidden.html" in p.read_text(encoding="utf-8")]
    assert offenders == []
    assert not (ROOT / "yikatong" / "templates" / "web" / "forbidden.html").exists()


def test_a_refused_page_is_the_coded_403(client, make_user):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    client.login(username="op", password=PASSWORD)
    for url in ("/audit/", "/supervision/", "/payments/"):
        resp = client.get(url)
        assert resp.status_code == 403, url
        assert 'data-error-code="FORBIDDEN"' in resp.content.decode(), url


def test_requires_roles_lets_a_holder_through_and_refuses_others(make_user):
    view = requires_roles(Role.SUPERVISOR)(lambda request: "page")
    assert view(_request(make_user("sup", Role.SUPERVISOR), "get")) == "page"
    with pytest.raises(Forbidden) as refused:
        view(_request(make_user("op", Role.TOWNSHIP_OPERATOR), "get"))
    assert refused.value.code == "FORBIDDEN" and isinstance(refused.value, PermissionDenied)


def test_requires_carries_the_code_it_is_given(make_user):
    view = requires(lambda user: False, code="NOT_AUTHENTICATED")(lambda request: "page")
    with pytest.raises(Forbidden) as refused:
        view(_request(make_user("op", Role.TOWNSHIP_OPERATOR), "get"))
    assert refused.value.code == "NOT_AUTHENTICATED"


def test_perform_flashes_success_and_redirects_to_the_result():
    request = _request()
    resp = perform(request, lambda: 7, lambda n: f"done {n}", lambda n: f"/things/{n}/")
    assert resp.status_code == 302 and resp.url == "/things/7/"
    assert _flashed(request) == [("success", "", "done 7")]


def test_perform_flashes_a_refusal_with_its_code_and_goes_back():
    def refused():
        raise Refusal("SOME_CODE", message="不行")

    request = _request()
    resp = perform(request, refused, "ok", lambda n: "/back/" if n is None else "/next/", prefix="未办理：")
    assert resp.url == "/back/"
    assert _flashed(request) == [("error", "SOME_CODE", "未办理：不行")]


def test_perform_reports_a_validation_error_as_one_message():
    def invalid():
        raise ValidationError(["甲", "乙"])

    request = _request()
    perform(request, invalid, "ok", "/back/")
    assert _flashed(request) == [("error", "VALIDATION_ERROR", "甲；乙")]


def test_perform_leaves_a_permission_refusal_to_the_403_page_unless_told_to_flash_it():
    def denied():
        raise Forbidden("NOT_OWN_STATION", message="不是本站")

    with pytest.raises(Forbidden):
        perform(_request(), denied, "ok", "/back/")
    request = _request()
    assert perform(request, denied, "ok", "/back/", flash_denied=True).url == "/back/"
    assert _flashed(request) == [("error", "NOT_OWN_STATION", "不是本站")]

    def plain():
        raise PermissionDenied("异议不属于本批次")

    request = _request()
    perform(request, plain, "ok", "/back/", flash_denied=True)
    assert _flashed(request) == [("error", "FORBIDDEN", "异议不属于本批次")]


def test_perform_does_not_swallow_other_errors():
    def broken():
        raise KeyError("bug")

    with pytest.raises(KeyError):
        perform(_request(), broken, "ok", "/back/")


def test_a_flashed_refusal_shows_its_code_on_the_page(make_user):
    """base.html renders a message's code as data-code and keeps the alert's level."""
    from django.contrib.messages import error, success
    from django.template.loader import render_to_string

    request = _request(make_user("op", Role.TOWNSHIP_OPERATOR), "get")
    error(request, "不行", extra_tags="SOME_CODE")
    success(request, "好了")
    page = render_to_string("base.html", {}, request)
    assert '<div class="alert alert-danger" data-code="SOME_CODE">不行</div>' in page
    assert '<div class="alert alert-success">好了</div>' in page
