"""POST /api/rosters/county-rosters (rosters.api_county) through HTTP with bearer tokens."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yikatong.accounts.tokens import issue_api_token
from yikatong.rosters.models import Batch

from .files import id_number, to_csv
from .test_county import HEADER, county_rows, county_world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
URL = "/api/rosters/county-rosters"


def post(client, rw, username, rows, **fields):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=rw.users[username], name='t')}"}
    data = {"file": SimpleUploadedFile("全县清册.csv", to_csv(rows, header=HEADER)), "policy": "DB01",
            "period": "2026-11", "region": "141024", **fields}
    return client.post(URL, data, **auth)


def test_split_answers_201_with_the_batches(client, county_world):
    resp = post(client, county_world, "xian", county_rows())
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert [(b["township_name"], b["rows"], b["persons"], b["amount_fen"]) for b in body["batches"]] == [
        ("大槐树镇", 2, 2, 30000), ("甘亭镇", 1, 1, 30000), ("明姜镇", 3, 3, 150000)]
    assert body["rows"] == 6 and body["amount_fen"] == 210000
    assert {b["batch_id"] for b in body["batches"]} == set(Batch.objects.values_list("pk", flat=True))


def test_a_bad_row_answers_400_naming_the_row_masked_and_creates_nothing(client, county_world):
    rows = county_rows()
    rows[2][3] = id_number(3)[:-1]  # county row 4
    resp = post(client, county_world, "xian", rows)
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "COUNTY_ROSTER_INVALID"
    (problem,) = body["problems"]
    assert problem["row"] == 4 and id_number(3)[:-1] not in str(body)
    assert not Batch.objects.exists()


def test_a_township_user_is_refused_with_the_code(client, county_world):
    resp = post(client, county_world, "zhan", county_rows())
    assert resp.status_code == 403 and resp.json()["code"] == "COUNTY_ROSTER_NOT_IN_SCOPE"
    assert not Batch.objects.exists()


def test_the_batch_routes_still_answer_beside_the_county_router(client, county_world):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=county_world.users['xian'], name='t')}"}
    assert client.get("/api/rosters/batches", **auth).status_code == 200
