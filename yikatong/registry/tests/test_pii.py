"""The bulk helpers agree with core.crypto and core.identifiers exactly."""
import datetime as dt

import pytest
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st
from stdnum import luhn

from yikatong.core import crypto
from yikatong.core.identifiers import IdentifierError, parse_id_number
from yikatong.core.crypto import Vault
from yikatong.registry.synthetic import Population, card_number, id_number
from yikatong.registry.validation import check_card, check_id, luhn_ok

KEY = "c29tZS1vdGhlci1rZXktc29tZS1vdGhlci1rZXktMDA="


@pytest.mark.parametrize("secret", [None, KEY, "a passphrase"])
def test_vault_matches_core_crypto(settings, secret):
    v = Vault(secret)
    for value in ["14102419900101123X", "6228480012345671234", "13812345678", "中文"]:
        assert v.index(value) == crypto.blind_index(value, secret=secret)
        assert crypto.decrypt(v.encrypt(value), secret=secret) == value
        assert v.decrypt(crypto.encrypt(value, secret=secret)) == value
    assert v.index("") == "" and v.encrypt("") == "" and v.decrypt("") == ""


def test_vault_refuses_other_keys_and_garbage():
    token = Vault(KEY).encrypt("x")
    for bad in (token, "v1:!!!", "plain", token[:-4] + "AAAA"):
        with pytest.raises(crypto.DecryptionError):
            Vault("another key").decrypt(bad)


def test_bytes_are_bound_to_their_purpose():
    v = Vault(KEY)
    blob = v.encrypt_bytes(b"file", purpose=b"a")
    assert v.decrypt_bytes(blob, purpose=b"a") == b"file"
    with pytest.raises(Exception):
        v.decrypt_bytes(blob, purpose=b"b")


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789Xx ", min_size=15, max_size=19))
def test_fast_id_check_agrees_with_core_identifiers(text):
    today = dt.date(2026, 11, 1)
    try:
        expected = parse_id_number(text, today=today)
    except IdentifierError as exc:
        with pytest.raises(IdentifierError, match=str(exc)[:8]):
            check_id(text, today=today)
    else:
        assert check_id(text, today=today) == (expected.number, expected.birth_date, expected.sex)


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_fast_luhn_agrees_with_stdnum(digits):
    assert luhn_ok(digits) == (luhn.checksum(digits) == 0)


def test_synthetic_numbers_are_valid():
    import random

    rng = random.Random(1)
    for i in range(200):
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(30000))
        number = id_number("141024", birth, i, i % 2 == 0)
        assert parse_id_number(number).birth_date == birth
        assert check_card(card_number(rng, "621799")) 
    pop = Population("141024", ["141024100001"], seed=1)
    members = [m for hh in pop.households(300) for m in hh]
    assert len({m.id_number for m in members}) == 300
    assert all(3 <= len([x for x in members if x.household == h]) <= 5 for h in {m.household for m in members[:-5]})
