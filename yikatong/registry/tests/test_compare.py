"""复核比对: every status on a fixture built to contain them; batched, fast."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from stdnum import luhn
from stdnum.cn import uscc

from yikatong.registry import services
from yikatong.registry.choices import DatasetKind
from yikatong.registry.compare import STATUS_LABELS, CompareRow, compare_rows
from yikatong.registry.synthetic import Population, register_row

from .conftest import csv_file

pytestmark = pytest.mark.django_db


def _card(seed: str) -> str:
    body = "622848" + seed.rjust(12, "0")
    return body + luhn.calc_check_digit(body)


def _uscc(base="N2141024MA0123456"):
    return base + uscc.calc_check_digit(base)


@pytest.fixture
def people(do_import, clerk, villages):
    pop = [m for hh in Population("141024", [villages["v1"].code], seed=11).households(12) for m in hh]
    for m in pop:
        m.status, m.status_date, m.card_status = "正常", None, "正常"
    pop[2].status, pop[2].status_date = "死亡", dt.date(2026, 5, 6)
    pop[3].status, pop[3].status_date = "迁出", dt.date(2026, 4, 1)
    pop[4].card_status = "未激活"
    rows = [register_row(i, m) for i, m in enumerate(pop, 1)]
    rows[5][11] = ""  # no account at all
    org = ["", "第一村股份经济合作社", _uscc(), villages["v1"].code, "", "", "", "", "", "对公账户", "农信", "140001234567890", ""]
    imp = do_import(csv_file(rows + [org]), actor=clerk)
    assert imp.state == "done"
    services.reference_load(actor=None, dataset=DatasetKind.DEATHS, source_agency="民政局", as_of=dt.date(2026, 10, 31),
                            source=csv_file([[pop[6].name, pop[6].id_number, "2026-10-02"]], headers=["姓名", "身份证号码", "死亡日期"]),
                            file_name="d.csv", region_code="141024")
    return pop


def test_every_status(people, regions, villages):
    p = people
    unknown = Population("141024", [villages["v1"].code], seed=99)
    stranger = next(iter(unknown.households(1)))[0]
    rows = [
        CompareRow(p[0].name, p[0].id_number, p[0].card, "第一村委会", line=5),  # matched
        CompareRow(stranger.name, stranger.id_number, stranger.card),  # not in register
        CompareRow("张冒名", p[1].id_number, p[1].card),  # name differs
        CompareRow(p[2].name, p[2].id_number, p[2].card),  # deceased (register)
        CompareRow(p[3].name, p[3].id_number, p[3].card),  # moved out
        CompareRow(p[4].name, p[4].id_number, p[4].card),  # account not active
        CompareRow(p[5].name, p[5].id_number, ""),  # no account in the register
        CompareRow(p[6].name, p[6].id_number, p[6].card),  # deceased (民政 data, register not updated)
        CompareRow(p[7].name, p[7].id_number, _card("77")),  # account differs
        CompareRow(p[8].name, p[8].id_number, p[9].card),  # account of another person
        CompareRow("某合作社", _uscc()[:-1] + ("0" if _uscc()[-1] != "0" else "1"), "140001234567890"),  # invalid USCC
        CompareRow("第一村股份经济合作社", _uscc(), "140001234567890"),  # organization matched
        CompareRow(p[9].name, p[9].id_number[:-1] + "0" if p[9].id_number[-1] != "0" else p[9].id_number[:-1] + "1", ""),  # invalid ID
        CompareRow(p[0].name, p[0].id_number, p[0].card),  # duplicate of the first row
        CompareRow(p[10].name, p[10].id_number, p[10].card, "第二村委会"),  # village differs
    ]
    res = compare_rows(rows, township_code=regions["town1"].code)
    codes = [r.codes for r in res]
    assert codes[0] == ["matched"] and res[0].person_id and res[0].line == 5
    assert codes[1] == ["not_in_register"]
    assert codes[2] == ["name_differs"] and f"底册为“{p[1].name}”" in res[2].statuses[0].message
    assert codes[3] == ["deceased"] and "2026-05-06" in res[3].statuses[0].message
    assert codes[4] == ["moved_out"] and "2026-04-01" in res[4].statuses[0].message
    assert codes[5] == ["account_inactive"] and "未激活" in res[5].statuses[0].message
    assert codes[6] == ["no_account"]
    assert codes[7] == ["deceased"] and "民政局死亡数据显示已于2026-10-02死亡" in res[7].statuses[0].message
    assert codes[8] == ["account_differs"]
    assert codes[9] == ["account_not_owned"]
    assert codes[10] == ["invalid_uscc"]
    assert codes[11] == ["matched"] and res[11].org_id
    assert codes[12] == ["invalid_id"] and "校验位" in res[12].statuses[0].message
    assert codes[13] == ["duplicate"] and "第5行" in res[13].statuses[0].message
    assert codes[14] == ["village_differs"]
    # the same person compared for another township
    (other,) = compare_rows([(p[0].name, p[0].id_number, p[0].card, "")], township_code=regions["town2"].code)
    assert other.codes == ["not_in_township"]
    assert set(STATUS_LABELS) == {c for cs in codes for c in cs} | {"not_in_township", "status_other"}


def test_queries_do_not_grow_with_rows(people):
    def count(n):
        rows = [(m.name, m.id_number, m.card, "") for m in (people * 200)[:n]]
        with CaptureQueriesContext(connection) as ctx:
            compare_rows(rows)
        return len(ctx.captured_queries)

    assert count(50) == count(800)


def test_ten_thousand_rows_against_a_partial_register(do_import, clerk, villages):
    """Correctness at roster size; the < 2 s target is measured in benchmarks/bench_registry.py."""
    pop = [m for hh in Population("141024", [villages["v1"].code, villages["v2"].code], seed=5).households(10000) for m in hh]
    do_import(csv_file([register_row(i, m) for i, m in enumerate(pop[:3000], 1)]), actor=clerk)
    rows = [CompareRow(m.name, m.id_number, m.card, m.village) for m in pop]
    results = compare_rows(rows)
    assert len(results) == 10000 and sum(r.codes == ["not_in_register"] for r in results) == 7000
