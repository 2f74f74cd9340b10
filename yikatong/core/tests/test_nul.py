"""Issue 13: `%00` in a URL answered 500 on PostgreSQL. NUL anywhere in the request is a 400."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/rosters/%00/", "/public/policies/?q=%00", "/public/policies/?q=a%00b",
                                 "/login/?next=%00"])
def test_nul_in_path_or_query_is_a_bad_request(client, url):
    resp = client.get(url)
    assert resp.status_code == 400 and "NUL" in resp.content.decode()


def test_nul_in_a_form_field_is_a_bad_request_and_logs_nobody_in(client, make_user):
    from conftest import PASSWORD

    make_user("nul_user")
    resp = client.post("/login/", {"username": "nul_user\x00", "password": PASSWORD})
    assert resp.status_code == 400
    assert "_auth_user_id" not in client.session


def test_ordinary_requests_still_pass(client):
    assert client.get("/public/policies/?q=低保").status_code == 200


def test_nul_in_a_json_body_is_a_bad_request(client):
    resp = client.post("/api/registry/compare", '{"rows": [{"name": "a\\u0000b", "id_number": "1"}]}',
                       content_type="application/json")
    assert resp.status_code == 400
