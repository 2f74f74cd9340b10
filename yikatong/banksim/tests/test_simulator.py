"""The simulated bank: strict checks (F01–F05), every failure code, E08 duplicates, determinism."""
import datetime
from dataclasses import replace

import pytest

from yikatong.audit.models import AuditEvent
from yikatong.banksim.bank import decide
from yikatong.banksim.models import SimPaidItem, SimReceivedFile
from yikatong.banksim.options import SimOptions
from yikatong.banksim.services import payment_file_process
from yikatong.payments.exchange.codes import REASON_CODES
from yikatong.payments.exchange.paymentfile import parse_payment_file
from yikatong.payments.exchange.resultfile import parse_rejection_file, parse_result_file
from yikatong.payments.tests.support import DAY, KEY, line, payment_file, reseal, retrail

pytestmark = pytest.mark.django_db


def answer(name, data, today=DAY, **options):
    return payment_file_process(actor=None, filename=name, data=data, options=SimOptions(**options), today=today)


def rejected(name, data, **kw):
    ans = answer(name, data, **kw)
    assert ans.filename == name.replace("_P.txt", "_X.txt")
    return parse_rejection_file(ans.data, filename=ans.filename)


def test_a_good_file_is_paid_and_the_result_verifies(agreement):
    name, data = payment_file()
    ans = answer(name, data)
    result = parse_result_file(ans.data, KEY, filename=ans.filename)
    assert ans.filename == name.replace("_P.txt", "_R.txt")
    assert [(r.item_ref, r.status, r.amount_fen) for r in result.lines] == [
        ("ITEM-1", "S", 100), ("ITEM-2", "S", 200), ("ITEM-3", "S", 300)]
    assert result.mac_alg == "HMAC-SM3" and result.header.processed_date == DAY
    assert all(r.bank_txn_id and r.done_at for r in result.lines)
    assert SimPaidItem.objects.filter(status="S").count() == 3
    received = SimReceivedFile.objects.get()
    assert (received.answer_kind, received.ok_count, received.ok_fen) == ("R", 3, 600)
    assert AuditEvent.objects.filter(action="banksim.answer").count() == 1


def test_a_tampered_file_is_f02(agreement):
    name, data = payment_file()
    assert rejected(name, data.replace(b"|200|", b"|2000|")).code == "F02"


def test_no_agreement_for_the_payer_account_is_f02(agreement):
    name, data = payment_file(payer_account="6217000099999999")
    rejection = rejected(name, data)
    assert rejection.code == "F02" and "9999" in rejection.text and "6217000099999999" not in rejection.text


def test_wrong_totals_are_f01(agreement):
    name, data = payment_file()
    assert rejected(name, retrail(data, total=601)).code == "F01"


def test_a_repeated_batch_number_is_f03(agreement):
    name, data = payment_file()
    assert answer(name, data).filename.endswith("_R.txt")
    assert rejected(name, data).code == "F03"
    _, other = payment_file([line(7)])  # other content, same batch number
    assert rejected(name, other).code == "F03"
    assert SimPaidItem.objects.count() == 3


def test_even_a_rejected_batch_number_cannot_be_reused(agreement):
    name, data = payment_file()
    assert rejected(name, data.replace(b"|200|", b"|201|")).code == "F02"
    assert rejected(name, data).code == "F03"


def test_a_malformed_line_is_f04_and_the_text_names_the_line(agreement):
    name, data = payment_file()
    rejection = rejected(name, reseal(data, lambda b: b.replace(b"|01|11010519491231002X|200|", b"|03|11010519491231002X|200|")))
    assert rejection.code == "F04" and "第 3 行" in rejection.text and "证件类型" in rejection.text


def test_business_date_not_today_is_f05(agreement):
    name, data = payment_file()
    assert rejected(name, data, today=DAY + datetime.timedelta(days=1)).code == "F05"


def test_forced_rejection(agreement):
    name, data = payment_file()
    assert rejected(name, data, reject="F04").text == "模拟器按指令拒收"


def test_fails_chosen_items_with_every_reason_code_and_the_result_verifies(agreement):
    codes = list(REASON_CODES)
    name, data = payment_file([line(i) for i in range(1, len(codes) + 2)])
    ans = answer(name, data, fail_seq={i + 1: code for i, code in enumerate(codes)})
    result = parse_result_file(ans.data, KEY, filename=ans.filename)
    assert [r.reason_code for r in result.lines] == codes + [""]
    assert [r.status for r in result.lines] == ["F"] * len(codes) + ["S"]
    assert all(r.reason_text for r in result.lines[:-1])
    assert (result.ok_count, result.fail_count) == (1, len(codes))
    assert result.fail_fen == sum(100 * i for i in range(1, len(codes) + 1))


def test_fail_by_item_ref(agreement):
    name, data = payment_file()
    result = parse_result_file(answer(name, data, fail_ref={"ITEM-2": "E05"}).data, KEY)
    assert [r.reason_code for r in result.lines] == ["", "E05", ""]


def test_duplicate_item_refs_in_the_same_or_an_earlier_file_are_e08(agreement):
    name, data = payment_file([line(1), line(2), line(1, account_no="6228480012345699999")])
    result = parse_result_file(answer(name, data).data, KEY)
    assert [(r.status, r.reason_code) for r in result.lines] == [("S", ""), ("S", ""), ("F", "E08")]
    name2, data2 = payment_file([line(2), line(5)], batch_no="141024-2026-000002")
    result2 = parse_result_file(answer(name2, data2).data, KEY)
    assert [(r.item_ref, r.reason_code) for r in result2.lines] == [("ITEM-2", "E08"), ("ITEM-5", "")]
    assert SimPaidItem.objects.count() == 3


def test_an_item_that_failed_before_is_also_a_duplicate(agreement):
    name, data = payment_file([line(1)])
    answer(name, data, fail_seq={1: "E01"})
    name2, data2 = payment_file([line(1)], batch_no="141024-2026-000002")
    assert parse_result_file(answer(name2, data2).data, KEY).lines[0].reason_code == "E08"


def test_a_random_fraction_is_deterministic_with_a_seed():
    parsed = parse_payment_file(payment_file([line(i) for i in range(1, 201)])[1], KEY)
    at = datetime.datetime(2026, 3, 2, 9, 0)

    def fates(seed, batch_no=None):
        p = parsed if batch_no is None else replace(parsed, header=replace(parsed.header, batch_no=batch_no))
        lines = decide(p, options=SimOptions(fail_rate=0.3, seed=seed), seen_refs=set(), done_at=at)
        return [(r.status, r.reason_code) for r in lines]

    first = fates(7)
    failed = [code for status, code in first if status == "F"]
    assert fates(7) == first
    assert fates(8) != first and fates(7, "141024-2026-000099") != first
    assert 30 <= len(failed) <= 90 and set(failed) <= set(REASON_CODES) - {"E08"}
