"""MAC: HMAC-SM3 preferred, HMAC-SHA256 fallback, lowercase hex, constant-time verify."""
import hashlib
import hmac
from unittest import mock

import pytest
from cryptography.exceptions import UnsupportedAlgorithm

from yikatong.payments.exchange import mac

KEY = b"k" * 32


def test_sm3_is_preferred_here_and_matches_openssl():
    assert mac.sm3_available() and mac.preferred_alg() == mac.HMAC_SM3
    value = mac.compute_mac(KEY, b"abc", mac.HMAC_SM3)
    assert len(value) == 64 and value == value.lower()
    if "sm3" in hashlib.algorithms_available:
        assert value == hmac.new(KEY, b"abc", "sm3").hexdigest()


def test_sha256_fallback_when_sm3_is_missing():
    with mock.patch.object(mac.crypto_hmac, "HMAC", side_effect=UnsupportedAlgorithm("no sm3")):
        assert not mac.sm3_available()
        assert mac.preferred_alg() == mac.HMAC_SHA256
    assert mac.compute_mac(KEY, b"abc", mac.HMAC_SHA256) == hmac.new(KEY, b"abc", hashlib.sha256).hexdigest()


def test_verify_is_constant_time_and_exact():
    good = mac.compute_mac(KEY, b"data", mac.HMAC_SM3)
    with mock.patch.object(mac.std_hmac, "compare_digest", wraps=hmac.compare_digest) as spy:
        assert mac.verify_mac(KEY, b"data", mac.HMAC_SM3, good)
    spy.assert_called_once()
    assert not mac.verify_mac(KEY, b"data!", mac.HMAC_SM3, good)
    assert not mac.verify_mac(KEY, b"data", mac.HMAC_SM3, good.upper())
    assert not mac.verify_mac(KEY, b"data", mac.HMAC_SM3, "密" * 64)


@pytest.mark.parametrize("key,alg", [(KEY, "HMAC-MD5"), (b"short", mac.HMAC_SM3), ("text key" * 4, mac.HMAC_SM3)])
def test_refuses_unknown_algorithms_and_weak_keys(key, alg):
    with pytest.raises(mac.MacError):
        mac.compute_mac(key, b"x", alg)
