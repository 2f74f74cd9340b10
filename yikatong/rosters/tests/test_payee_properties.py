"""Property: whatever text the roster's payee check lets through, the bank file writer accepts; and
every text the writer refuses is refused at import with a PAYEE_* code (the import is at least as
strict as the bank format, so bad payee data never first shows up at the bank)."""
from hypothesis import given, settings, strategies as st

from yikatong.payments.exchange.fields import check_account, check_text
from yikatong.rosters.importer import spec as S
from yikatong.rosters.importer.payee import payee_problems

TEXT = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40) | st.text(
    alphabet=st.sampled_from(["张", "三", "|", "\r", "\n", "\x00", "\x07", "\x7f", "\u200b", "\u2028", "\ufeff", "a", " "]),
    min_size=1, max_size=12)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_payee_text_passing_import_fits_the_bank_file(value):
    found = payee_problems({S.NAME: value, S.HOLDER: value})
    if not found:
        assert check_text(value) is None
    if check_text(value) is not None:
        assert {code for _, code, _ in found} and all(code.startswith("PAYEE_") for _, code, _ in found)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789|\r\n\x00 ")), min_size=6, max_size=32))
def test_account_with_separator_or_control_is_refused_by_code(value):
    found = payee_problems({S.ACCOUNT: value})
    if any(ch in value for ch in "|\r\n\x00"):
        assert found and found[0][1] in ("PAYEE_DELIMITER", "PAYEE_LINE_BREAK", "PAYEE_CONTROL_CHAR")
    elif not found and value.isdigit():
        assert check_account(value) is None
