import base64

import pytest
from cryptography.exceptions import InvalidTag  # noqa: F401 - must not leak out of decrypt

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
