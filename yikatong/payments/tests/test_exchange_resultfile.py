"""Result file (R) and rejection file (X): round trip, and every reason Yikatong refuses one."""
import datetime

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from yikatong.payments.exchange import resultreader
from yikatong.payments.exchange.codes import REASON_CODES, REJECTION_CODES
from yikatong.payments.exchange.errors import PaymentDataError, ResultFileError
from yikatong.payments.exchange.resultfile import (
    FAILED, PAID, ResultLine, parse_rejection_file, parse_result_file, write_rejection_file, write_result_file,
)
from yikatong.payments.tests.support import DAY, KEY, reseal, retrail

AT = datetime.datetime(2026, 3, 3, 10, 30, 5)
BATCH = "141024-2026-000001"


def lines():
    out = [ResultLine(1, "ITEM-1", "6228480012345600001", 100, PAID, "", "", "TXN1", AT)]
    for seq, code in enumerate(REASON_CODES, 2):
        out.append(ResultLine(seq, f"ITEM-{seq}", f"62284800123456{seq:05d}", 100 * seq, FAILED, code,
                              REASON_CODES[code].meaning, "", AT))
    return out


def result(rows=None, **over):
    args = dict(bank_code="ABC01", batch_no=BATCH, processed_date=DAY, lines=rows or lines(), key=KEY, **over)
    return write_result_file(**args)


def test_reason_codes_are_the_spec_table():
    assert list(REASON_CODES) == ["E01", "E02", "E03", "E04", "E05", "E06", "E07", "E08", "E99"]
    assert REASON_CODES["E04"].meaning == "账户冻结 / 只进不出" and REASON_CODES["E04"].fix_en == "new account or wait"
    assert REASON_CODES["E08"].fix_en == "investigate, do not pay again" and REASON_CODES["E05"].fix
    assert list(REJECTION_CODES) == ["F01", "F02", "F03", "F04", "F05"]


def test_round_trip_with_every_reason_code():
    name, data = result()
    assert name == f"YKT1_ABC01_{BATCH}_R.txt"
    assert data.startswith(f"H|YKT1R|{BATCH}|20260302|10|".encode())
    parsed = parse_result_file(data, KEY, filename=name)
    assert parsed.lines == lines() and parsed.batch_no == BATCH
    assert (parsed.ok_count, parsed.ok_fen, parsed.fail_count) == (1, 100, 9)
    assert parsed.fail_fen == sum(100 * s for s in range(2, 11))
    assert {line.reason_code for line in parsed.lines if line.status == FAILED} == set(REASON_CODES)


def test_bad_mac_is_refused_before_anything_else():
    _, data = result()
    for bad in (data.replace(b"|100|S|", b"|999|S|"), data.replace(b"HMAC-SM3", b"HMAC-SHA256")):
        with pytest.raises(ResultFileError) as exc:
            parse_result_file(bad, KEY)
        assert exc.value.code == "F02"
    with pytest.raises(ResultFileError) as exc:
        parse_result_file(data, b"x" * 32)
    assert exc.value.code == "F02"


@pytest.mark.parametrize("fields", [{"ok_count": 2}, {"ok_fen": 101}, {"fail_count": 8}, {"fail_fen": 0}])
def test_trailer_totals_that_do_not_match_the_lines_are_refused(fields):
    _, data = result()
    with pytest.raises(ResultFileError) as exc:
        parse_result_file(retrail(data, **fields), KEY)
    assert exc.value.code == "F01" and "汇总不符" in exc.value.message


def test_header_totals_that_do_not_match_are_refused():
    _, data = result()
    with pytest.raises(ResultFileError) as exc:
        parse_result_file(reseal(data, lambda b: b.replace(b"|20260302|10|", b"|20260302|11|")), KEY)
    assert exc.value.code == "F01"


@pytest.mark.parametrize("mutate,words", [
    (lambda b: b.replace(b"|F|E01|", b"|F|E10|"), "失败原因代码"),
    (lambda b: b.replace(b"|F|E01|", b"|F||"), "失败原因代码”应为 E01"),
    (lambda b: b.replace(b"|S||", b"|S|E01|"), "状态为 S（成功）时"),
    (lambda b: b.replace(b"|100|S|", b"|100|P|"), "“状态”"),
    (lambda b: b.replace("|E99|其他|".encode("gb18030"), b"|E99||"), "E99（其他）时必须有"),
    (lambda b: b.replace(b"ITEM-3|", b"ITEM-2|"), "重复的明细只能以 E08"),
    (lambda b: b.replace(b"D|3|", b"D|4|"), "“序号”应为 3"),
    (lambda b: b.replace(b"|20260303103005\r\nD|2|", b"|20260303103005x\r\nD|2|"), "完成时间"),
    (lambda b: b.replace(b"|20260303103005\r\nD|2|", b"|20261303103005\r\nD|2|"), "不是有效时间"),
    (lambda b: b.replace(b"|TXN1|20260303103005", b"|TXN1|"), "必须有“完成时间”"),
    (lambda b: b.replace(b"H|YKT1R|", b"H|YKT1|"), "第 1 行（文件头）"),
])
def test_bad_lines_are_refused_naming_the_line(mutate, words):
    _, data = result()
    with pytest.raises(ResultFileError) as exc:
        parse_result_file(reseal(data, mutate), KEY)
    assert exc.value.code == "F04" and words in exc.value.message, exc.value.message


@pytest.mark.parametrize("row", [
    lines()[0]._replace(reason_code="E01"), lines()[1]._replace(seq=1, reason_code="E77"),
    lines()[1]._replace(seq=1, reason_code=None), lines()[0]._replace(done_at=None),
    lines()[0]._replace(bank_txn_id="T|1"), lines()[0]._replace(amount_fen=0), lines()[0]._replace(seq=2),
    lines()[-1]._replace(seq=1, reason_text=""), lines()[0]._replace(status="P"),
], ids=["S-with-code", "unknown-code", "code-None", "S-without-time", "separator", "zero", "seq", "E99-no-text",
        "status"])
def test_writer_refuses_what_the_reader_would_refuse(row):
    with pytest.raises(PaymentDataError):
        result([row])


def test_filename_must_match_the_batch():
    _, data = result()
    with pytest.raises(ResultFileError):
        parse_result_file(data, KEY, filename=f"YKT1_ABC01_{BATCH}_X.txt")


def test_rejection_round_trip_and_refusals():
    name, data = write_rejection_file(bank_code="ABC01", batch_no=BATCH, code="F04", text="第 3 行（明细）格式不正确")
    assert name == f"YKT1_ABC01_{BATCH}_X.txt"
    assert data == f"X|{BATCH}|F04|第 3 行（明细）格式不正确\r\n".encode("gb18030")
    rejection = parse_rejection_file(data, filename=name)
    assert (rejection.batch_no, rejection.code, rejection.meaning) == (BATCH, "F04", "文件格式错误")
    for bad in (data[:-2], data + data, data.replace(b"F04", b"F09"), data.replace(b"X|", b"Y|", 1)):
        with pytest.raises(ResultFileError):
            parse_rejection_file(bad)
    with pytest.raises(ValueError):
        write_rejection_file(bank_code="ABC01", batch_no=BATCH, code="F04", text="a|b")



def test_a_repeated_item_ref_is_accepted_only_as_an_e08_failure():
    rows = lines()[:2] + [ResultLine(3, "ITEM-1", "6228480012345600001", 100, FAILED, "E08", "重复明细", "", AT)]
    parsed = parse_result_file(result(rows)[1], KEY)
    assert [r.reason_code for r in parsed.lines] == ["", "E01", "E08"]
    with pytest.raises(ResultFileError, match="重复的明细只能以 E08"):
        parse_result_file(result(rows[:2] + [rows[2]._replace(reason_code="E01")])[1], KEY)


_VALID = result()[1].decode("gb18030")
_BLOCK = _VALID[_VALID.index("\r\n") + 2:_VALID.index("\r\nT|") + 2]


@given(st.integers(0, len(_BLOCK) - 3), st.sampled_from(["|", "S", "F", "E", "0", "9", "", "X", "\r\n", "E9", "1", "||"]))
@hsettings(max_examples=1000, deadline=None)
def test_the_fast_path_accepts_exactly_what_the_line_by_line_reading_accepts(pos, text):
    block = _BLOCK[:pos] + text + _BLOCK[pos + 1:]
    seen = {"ELSEWHERE"}
    fast = resultreader._fast(block, block.count("\r\n"), 1, seen, {})
    try:
        slow = resultreader._slow(block.split("\r\n")[:-1], 2, 1, set())
    except ResultFileError:
        slow = None
    if fast is None:
        assert seen == {"ELSEWHERE"}  # a refused block leaves nothing behind
    else:
        assert fast == slow


def test_a_valid_file_takes_the_fast_path(monkeypatch):
    monkeypatch.setattr(resultreader, "_slow", lambda *a: pytest.fail("slow path used for a valid file"))
    assert len(parse_result_file(result()[1], KEY).lines) == 10


def test_a_result_without_lines_is_refused():
    _, data = result()
    empty = reseal(data, lambda b: b[: b.index(b"\r\n") + 2].replace(b"|10|", b"|0|").replace(b"|5500\r\n", b"|0\r\n"))
    with pytest.raises(ResultFileError, match="没有回盘明细"):
        parse_result_file(retrail(empty, ok_count=0, ok_fen=0, fail_count=0, fail_fen=0), KEY)
