"""Payment file (P): exact layout, round trip, refusals when writing, strict reading with F-codes."""
import datetime
import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from yikatong.payments.exchange.errors import PaymentDataError, PaymentFileError
from yikatong.payments.exchange.mac import HMAC_SHA256, HMAC_SM3
from yikatong.payments.exchange.paymentfile import PaymentLine, parse_payment_file, peek_payment_header
from yikatong.payments.tests.support import DAY, KEY, line, payment_file, reseal, retrail

TINY = [
    PaymentLine("ITEM-1", "6228480012345671234", "张三", "01", "11010519491231002X", 10000, "春季"),
    PaymentLine("ITEM-2", "6228480012345671235", "亅二", "02", "91140000MA0K12345X", 5050),
]
# Written by hand from the spec: GB18030 bytes of 洪洞县财政局, 耕地补贴, 张三, 春季 and 亅二
# (亅 is 0x81 0x7C: its second byte is the code of "|"), CRLF line ends, the MAC over every
# byte before the T line.
TINY_BODY = (
    b"H|YKT1|141024-2026-000001|20260302|6217000010001234|\xba\xe9\xb6\xb4\xcf\xd8\xb2\xc6\xd5\xfe\xbe\xd6|HT-001|"
    b"\xb8\xfb\xb5\xd8\xb2\xb9\xcc\xf9|2|15050\r\n"
    b"D|1|ITEM-1|6228480012345671234|\xd5\xc5\xc8\xfd|01|11010519491231002X|10000|\xb4\xba\xbc\xbe\r\n"
    b"D|2|ITEM-2|6228480012345671235|\x81|\xb6\xfe|02|91140000MA0K12345X|5050|\r\n"
)
TINY_SM3 = TINY_BODY + b"T|2|15050|HMAC-SM3|fe731fee1ae5879f471c8fb9445aba371ce981a79d399f588dc6680c036f5424\r\n"
TINY_SHA256 = TINY_BODY + b"T|2|15050|HMAC-SHA256|73f3a59345b48ff9c0c6994273c6f9daa9d62730909bf028a050043a8bd913b1\r\n"


def test_exact_bytes_of_a_tiny_file_with_hmac_sm3():
    name, data = payment_file(TINY, alg=HMAC_SM3)
    assert name == "YKT1_ABC01_141024-2026-000001_P.txt"
    assert data == TINY_SM3


def test_exact_bytes_with_hmac_sha256_fallback():
    assert payment_file(TINY, alg=HMAC_SHA256)[1] == TINY_SHA256


def test_the_expected_macs_agree_with_an_independent_hmac():
    assert TINY_SHA256.endswith(hmac.new(KEY, TINY_BODY, hashlib.sha256).hexdigest().encode() + b"\r\n")
    if "sm3" not in hashlib.algorithms_available:
        pytest.skip("OpenSSL here has no SM3; the SM3 bytes are still pinned above")
    assert TINY_SM3.endswith(hmac.new(KEY, TINY_BODY, "sm3").hexdigest().encode() + b"\r\n")


def test_round_trip_from_a_generator():
    lines = [line(i, account_name="欧阳娜娜", memo=f"第{i}期") for i in range(1, 501)]
    name, data = payment_file(line for line in lines)
    parsed = parse_payment_file(data, KEY, filename=name, today=DAY)
    assert parsed.lines == lines
    assert parsed.header.count == 500 and parsed.header.total_fen == sum(i * 100 for i in range(1, 501))
    assert parsed.header.business_date == DAY and parsed.header.payer_name == "洪洞县财政局"
    assert peek_payment_header(data) == parsed.header


def test_a_gb18030_trail_byte_equal_to_the_separator_is_not_a_field_break():
    parsed = parse_payment_file(TINY_SM3, KEY)
    assert parsed.lines[1].account_name == "亅二" and parsed.lines[1].memo == ""


def test_characters_outside_the_bmp_are_fine():
    name, data = payment_file([line(1, account_name="𠮷三")])
    assert parse_payment_file(data, KEY).lines[0].account_name == "𠮷三"


@pytest.mark.parametrize("field,value,words", [
    ("account_name", "张|三", "分隔符“|”"),
    ("account_name", "张\r三", "回车或换行符"),
    ("memo", "第一行\n第二行", "回车或换行符"),
    ("item_ref", "A|B", "分隔符“|”"),
    ("account_name", "张\x00三", "控制字符"),
    ("account_name", "张\ud800三", "GB18030 无法表示"),
    ("account_name", "", "不能为空"),
    ("account_name", None, "应为文字"),
    ("amount_fen", 0, "必须大于 0"),
    ("amount_fen", -100, "必须大于 0"),
    ("amount_fen", 12.5, "整数“分”"),
    ("amount_fen", True, "整数“分”"),
    ("id_type", "03", "01（居民身份证）或 02"),
    ("id_no", "1101051949123100", "18 位居民身份证"),
    ("id_no", "11010519491231002x", "末位校验码 X 须大写"),
    ("account_no", "6228-4800", "6–32 位数字"),
])
def test_refuses_bad_data_naming_the_item_and_field(field, value, words):
    bad = line(2, **{field: value})
    with pytest.raises(PaymentDataError) as exc:
        payment_file([line(1), bad, line(3)])
    assert "第 2 条明细" in str(exc.value) and words in str(exc.value)
    assert isinstance(exc.value, ValueError)
    assert "11010519491231002X" not in str(exc.value)  # personal data is never echoed


@pytest.mark.parametrize("field,value,words", [
    ("payer_name", "洪洞县|财政局", "付款户名"), ("policy_name", "补贴\r\n", "补贴项目名称"),
    ("payer_account", "12ab", "付款账号"), ("batch_no", "141024_2026_1", "批次号"), ("bank_code", "A_B", "银行编码"),
    ("business_date", datetime.datetime(2026, 3, 2), "业务日期"), ("alg", "HMAC-MD5", "MAC 算法"),
])
def test_refuses_bad_header_fields(field, value, words):
    with pytest.raises(ValueError) as exc:
        payment_file(**{field: value})
    assert words in str(exc.value)


def test_refuses_an_empty_file():
    with pytest.raises(PaymentDataError, match="代发明细为空"):
        payment_file([])


def test_writer_consumes_a_generator_once_and_stops_at_the_first_bad_line():
    consumed = []

    def lines():
        for i in range(1, 10):
            consumed.append(i)
            yield line(i, account_name="坏|名" if i == 4 else "张三")

    with pytest.raises(PaymentDataError, match="第 4 条明细"):
        payment_file(lines())
    assert consumed == [1, 2, 3, 4]


# ---- reading: what the bank rejects -------------------------------------------------------

def _code(data, **kw):
    with pytest.raises(PaymentFileError) as exc:
        parse_payment_file(data, KEY, **kw)
    return exc.value


def test_tampered_amount_is_f02():
    _, data = payment_file()
    err = _code(data.replace(b"|300|", b"|900|"))
    assert err.code == "F02"


def test_wrong_key_is_f02():
    _, data = payment_file()
    with pytest.raises(PaymentFileError) as exc:
        parse_payment_file(data, b"another key of sixteen+ bytes")
    assert exc.value.code == "F02"


def test_unknown_mac_algorithm_is_f02():
    _, data = payment_file()
    assert _code(data.replace(b"HMAC-SM3", b"HMAC-MD5")).code == "F02"


@pytest.mark.parametrize("fields", [{"count": 4}, {"total": 601}])
def test_trailer_totals_that_do_not_match_are_f01(fields):
    _, data = payment_file()
    assert _code(retrail(data, **fields)).code == "F01"


def test_header_totals_that_do_not_match_are_f01():
    _, data = payment_file()
    assert _code(reseal(data, lambda b: b.replace(b"|3|600\r\n", b"|3|700\r\n", 1))).code == "F01"


@pytest.mark.parametrize("mutate,words", [
    (lambda b: b.replace(b"D|2|ITEM-2|", b"D|2|ITEM-2|x|"), "第 3 行（明细）应有 9 个字段"),
    (lambda b: b.replace(b"D|2|", b"D|3|"), "第 3 行（明细）的“序号”应为 2"),
    (lambda b: b.replace(b"|200|", b"|2.00|"), "第 3 行（明细）的“金额（分）”"),
    (lambda b: b.replace(b"|200|", b"|0200|"), "第 3 行（明细）的“金额（分）”"),
    (lambda b: b.replace(b"|01|11010519491231002X|200", b"|01|1101051949123100|200"), "第 3 行（明细）的“证件号码”"),
    (lambda b: b.replace(b"D|2|", b"D|2\n|"), "第 3 行"),
    (lambda b: b.replace(b"\xd5\xc5", b"\xff\xff", 1), "第 2 行含有不是 GB18030"),
    (lambda b: b.replace(b"|YKT1|", b"|YKT2|"), "第 1 行（文件头）的“版本”"),
    (lambda b: b.replace(b"20260302", b"20260230"), "业务日期”不是有效日期"),
])
def test_malformed_lines_are_f04_naming_the_line(mutate, words):
    _, data = payment_file()
    err = _code(reseal(data, mutate))
    assert err.code == "F04" and words in err.message


def test_missing_final_crlf_or_trailer_is_f04():
    _, data = payment_file()
    assert _code(data[:-2]).code == "F04"
    assert _code(data[: data.rindex(b"T|")]).code == "F04"


def test_business_date_not_today_is_f05():
    _, data = payment_file()
    assert parse_payment_file(data, KEY, today=DAY)
    err = _code(data, today=DAY + datetime.timedelta(days=1))
    assert err.code == "F05"


def test_filename_must_match_the_header():
    _, data = payment_file()
    assert _code(data, filename="YKT1_ABC01_141024-2026-000002_P.txt").code == "F04"


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")).filter(lambda c: c != "|"), min_size=1, max_size=12)
_ACCOUNT = st.text("0123456789", min_size=6, max_size=32)
_ROW = st.tuples(_TEXT, _TEXT, _ACCOUNT, st.integers(1, 10**12), _TEXT | st.just(""))


@given(st.lists(_ROW, min_size=1, max_size=20))
@hsettings(max_examples=60, deadline=None)
def test_any_clean_text_round_trips(rows):
    lines = [PaymentLine(ref, acc, name, "01", "11010519491231002X", amount, memo)
             for ref, name, acc, amount, memo in rows]
    name, data = payment_file(lines)
    assert parse_payment_file(data, KEY, filename=name).lines == lines
