"""County-wide rosters (rosters.county): one file with a 乡镇 column → one batch per township, all or nothing."""
import pytest

from tests.support.factories import region
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.core.refusals import Refusal
from yikatong.rosters.county import CountyRosterRefused, county_roster_split, may_split
from yikatong.rosters.models import Batch, BatchItem

from .files import card, id_number, to_csv

pytestmark = pytest.mark.django_db
HEADER = ["序号", "乡镇", "姓名", "身份证号码", "村(社区)", "银行账号", "发放金额(元)"]


@pytest.fixture
def county_world(rw, regions, villages, make_user):
    town3 = region("141024102", "明姜镇", 4, regions["county"])
    region("141024102001", "明姜村民委员会", 5, town3)
    rw.users["xian"] = make_user("xian", Role.TOWNSHIP_OPERATOR, region=regions["county"], kind=OrgKind.TOWNSHIP_STATION)
    rw.town3 = town3
    return rw


def county_rows():
    """2 rows of 大槐树镇 (by name), 1 of 甘亭 (short name), 3 of 明姜镇 (by its 9-digit code)."""
    spec = [("大槐树镇", "第一村委会"), ("大槐树镇", "第二村委会"), ("甘亭", "东村村民委员会"),
            ("141024102", "明姜村民委员会"), ("141024102", "明姜村民委员会"), ("141024102000", "明姜村民委员会")]
    return [[str(i), town, f"对象{i}", id_number(i), village, card(i), f"{100 * i}.00"]
            for i, (town, village) in enumerate(spec, start=1)]


def split(rw, rows, user="xian", **kw):
    return county_roster_split(actor=rw.users[user], policy=rw.policy, period="2026-11",
                               county_region=rw.regions["county"], data=to_csv(rows, header=HEADER),
                               filename="全县清册.csv", **kw)


def test_a_three_township_file_makes_three_batches_with_their_counts(county_world):
    rw = county_world
    result = split(rw, county_rows())
    summary = {t.name: (t.rows, t.persons, t.amount_fen) for t in result.townships}
    assert summary == {"大槐树镇": (2, 2, 30000), "甘亭镇": (1, 1, 30000), "明姜镇": (3, 3, 150000)}
    batches = Batch.objects.order_by("region_id")
    assert [(b.region_id, b.item_count, b.total_fen, b.state) for b in batches] == [
        ("141024100000", 2, 30000, "draft"), ("141024101000", 1, 30000, "draft"), ("141024102000", 3, 150000, "draft")]
    assert {t.batch_id for t in result.townships} == {b.pk for b in batches}
    # each item keeps its row of the county file
    assert sorted(BatchItem.objects.filter(batch__region_id="141024102000").values_list("source_row", flat=True)) == [5, 6, 7]
    assert all(b.created_by == rw.users["xian"] for b in batches)


def test_one_bad_row_creates_nothing_and_names_the_row(county_world):
    rw = county_world
    rows = county_rows()
    rows[3][3] = id_number(4)[:-1]  # county row 5 (明姜镇): an ID number with 17 characters
    with pytest.raises(CountyRosterRefused) as exc:
        split(rw, rows)
    assert exc.value.code == "COUNTY_ROSTER_INVALID"
    lines = [p["line"] for p in exc.value.problems if p["level"] == "error"]
    assert lines == [5] and exc.value.problems[0]["message"].startswith("第5行")
    assert not Batch.objects.exists() and not BatchItem.objects.exists()


def test_an_unknown_township_creates_nothing_and_names_the_row(county_world):
    rw = county_world
    rows = county_rows()
    rows[1][1] = "榆次镇"  # county row 3
    with pytest.raises(CountyRosterRefused) as exc:
        split(rw, rows)
    (problem,) = exc.value.problems
    assert problem["line"] == 3 and "榆次镇" in problem["message"]
    assert not Batch.objects.exists()


def test_the_same_person_twice_in_the_county_is_refused(county_world):
    rw = county_world
    rows = county_rows()
    rows[4][3] = rows[0][3]  # row 6 repeats row 2's ID number, in another township
    with pytest.raises(CountyRosterRefused) as exc:
        split(rw, rows)
    assert [p["line"] for p in exc.value.problems] == [6] and "第2行" in exc.value.problems[0]["message"]
    assert not Batch.objects.exists()


def test_a_township_refusal_while_writing_rolls_back_every_batch(county_world, monkeypatch):
    from yikatong.rosters import services

    rw = county_world
    real = services.batch_create
    made = []

    def create(**kw):
        if made:  # the second township is refused: the first one's batch must go too
            raise Refusal("NO_REVIEWING_DEPARTMENT", line="x")
        made.append(real(**kw))
        return made[-1]

    monkeypatch.setattr(services, "batch_create", create)
    with pytest.raises(Refusal):
        split(rw, county_rows())
    assert made and not Batch.objects.exists() and not BatchItem.objects.exists()


def test_a_township_user_cannot_split_a_county_file(county_world):
    rw = county_world
    with pytest.raises(Refusal) as exc:
        split(rw, county_rows(), user="zhan")
    assert exc.value.code == "COUNTY_ROSTER_NOT_IN_SCOPE"
    assert not may_split(rw.users["zhan"]) and may_split(rw.users["xian"])
    assert not Batch.objects.exists()


def test_a_file_without_the_township_column_is_refused_naming_it(county_world):
    rw = county_world
    rows = [r[:1] + r[2:] for r in county_rows()]
    with pytest.raises(CountyRosterRefused) as exc:
        county_roster_split(actor=rw.users["xian"], policy=rw.policy, period="2026-11",
                            county_region=rw.regions["county"], data=to_csv(rows, header=HEADER[:1] + HEADER[2:]),
                            filename="x.csv")
    assert "乡镇(街道)" in exc.value.problems[0]["message"] and "乡镇名称" in exc.value.problems[0]["message"]
    assert not Batch.objects.exists()


# --- the page ------------------------------------------------------------------------------------------

def _page_post(client, rw, rows, user="xian"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.support.env import as_user

    as_user(client, rw.users[user])
    return client.post("/rosters/county/", {"policy": rw.policy.pk, "period": "2026-11",
                                            "file": SimpleUploadedFile("全县清册.csv", to_csv(rows, header=HEADER))})


def test_the_batch_list_offers_the_county_upload_to_county_makers_only(client, county_world):
    from tests.support.env import as_user

    rw = county_world
    assert 'data-testid="county-upload"' in as_user(client, rw.users["xian"]).get("/rosters/").content.decode()
    client.logout()
    assert 'data-testid="county-upload"' not in as_user(client, rw.users["zhan"]).get("/rosters/").content.decode()
    assert client.get("/rosters/county/").status_code == 403


def test_the_page_shows_the_summary_per_township(client, county_world):
    resp = _page_post(client, county_world, county_rows())
    html = resp.content.decode()
    assert resp.status_code == 200 and 'data-testid="county-result"' in html
    summary = html[html.index('data-testid="summary"'):]
    assert "明姜镇" in summary and "1,500.00" in summary and "2,100.00" in html
    assert Batch.objects.count() == 3


def test_the_page_lists_the_errors_by_county_row_and_creates_nothing(client, county_world):
    rows = county_rows()
    rows[5][1] = "不存在镇"  # county row 7
    html = _page_post(client, county_world, rows).content.decode()
    assert 'data-code="COUNTY_ROSTER_INVALID"' in html and "<td>7</td>" in html
    assert not Batch.objects.exists()


def test_the_totals_row_is_checked_against_the_whole_county_file(county_world):
    rw = county_world
    rows = county_rows()
    data = to_csv(rows, header=HEADER, totals=["合计", "", "", "", "", "", "2000.00"])  # the rows add up to 2100
    with pytest.raises(CountyRosterRefused) as exc:
        county_roster_split(actor=rw.users["xian"], policy=rw.policy, period="2026-11",
                            county_region=rw.regions["county"], data=data, filename="x.csv")
    (problem,) = exc.value.problems
    assert problem["line"] == 8 and "不符" in problem["message"]
    assert not Batch.objects.exists()
    ok = to_csv(rows, header=HEADER, totals=["合计", "", "", "", "", "", "2100.00"])
    result = county_roster_split(actor=rw.users["xian"], policy=rw.policy, period="2026-11",
                                 county_region=rw.regions["county"], data=ok, filename="x.csv")
    assert result.amount_fen == 210000
