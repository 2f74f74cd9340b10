import base64

import pytest
from cryptography.exceptions import InvalidTag

from yikatong.core import crypto
from yikatong.core.crypto import DecryptionError, blind_index, decrypt, encrypt


def test_round_trip():
    for text in ("14102419900101123X", "张三", "x" * 1000):
        token = encrypt(text)
        assert token.startswith("v1:")
        assert text not in token
        assert decrypt(token) == text
    assert encrypt("") == "" and decrypt("") == ""
    assert encrypt(None) == "" and decrypt(None) == ""


def test_nonce_is_random():
    assert encrypt("same") != encrypt("same")


def _flip(token: str, position: int) -> str:
    blob = bytearray(base64.urlsafe_b64decode(token[3:]))
    blob[position] ^= 0x01
    return "v1:" + base64.urlsafe_b64encode(bytes(blob)).decode()


@pytest.mark.parametrize("position", [0, 12, -1])  # nonce, ciphertext, tag
def test_tampered_ciphertext_raises(position):
    token = encrypt("14102419900101123X")
    with pytest.raises(DecryptionError):
        decrypt(_flip(token, position))


def test_wrong_key_and_malformed():
    token = encrypt("secret", secret="key-one")
    assert decrypt(token, secret="key-one") == "secret"
    with pytest.raises(DecryptionError):
        decrypt(token, secret="key-two")
    with pytest.raises(DecryptionError):
        decrypt(token)  # settings key
    for bad in ("plain text", "v1:", "v1:AAAA", "v1:!!!!"):
        with pytest.raises(ValueError):
            decrypt(bad)


def test_blind_index():
    a = blind_index("14102419900101123X")
    assert a == blind_index("14102419900101123X")
    assert a != blind_index("14102419900101123x")
    assert len(a) == 64
    assert blind_index("14102419900101123X", secret="other") != a
    assert blind_index("") == "" and blind_index(None) == ""


def test_index_and_encryption_keys_differ():
    assert crypto._index_key() != crypto._enc_key()


# ---- the Vault: one key's worth of the same work, and the same results --------------------

KEY = "c29tZS1vdGhlci1rZXktc29tZS1vdGhlci1rZXktMDA="


@pytest.mark.parametrize("secret", [None, KEY, "a passphrase"])
def test_vault_matches_the_functions(settings, secret):
    v = crypto.Vault(secret)
    for value in ["14102419900101123X", "6228480012345671234", "13812345678", "中文"]:
        assert v.index(value) == blind_index(value, secret=secret)
        assert decrypt(v.encrypt(value), secret=secret) == value
        assert v.decrypt(encrypt(value, secret=secret)) == value
    assert v.index("") == "" and v.encrypt("") == "" and v.decrypt("") == ""


def test_vault_follows_the_setting(settings):
    before = crypto.vault()
    token = before.encrypt("x")
    settings.YKT_DATA_KEY = KEY
    assert crypto.vault() is not before
    with pytest.raises(DecryptionError):
        crypto.vault().decrypt(token)


def test_vault_refuses_other_keys_and_garbage():
    token = crypto.Vault(KEY).encrypt("x")
    for bad in (token, "v1:!!!", "plain", "v1:AAAA", token[:-4] + "AAAA"):
        with pytest.raises(DecryptionError):
            crypto.Vault("another key").decrypt(bad)


def test_bytes_are_bound_to_their_purpose():
    v = crypto.Vault(KEY)
    blob = v.encrypt_bytes(b"file", purpose=b"a")
    assert v.decrypt_bytes(blob, purpose=b"a") == b"file"
    with pytest.raises(InvalidTag):
        v.decrypt_bytes(blob, purpose=b"b")
