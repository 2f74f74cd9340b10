"""Message authentication codes of bank files: HMAC-SM3, or HMAC-SHA256 where SM3 is missing.

The MAC of a YKT1 file is the lowercase hex HMAC over every byte before the `T` line,
keyed with the MAC key of the agency–bank agreement (specs/bank-exchange.md).
"""
from __future__ import annotations

import hmac as std_hmac

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac

__all__ = ["HMAC_SM3", "HMAC_SHA256", "ALGORITHMS", "MacError", "sm3_available", "preferred_alg", "new_mac",
           "compute_mac", "verify_mac"]

HMAC_SM3 = "HMAC-SM3"
HMAC_SHA256 = "HMAC-SHA256"
ALGORITHMS = (HMAC_SM3, HMAC_SHA256)
MAC_HEX_LENGTH = 64  # both SM3 and SHA-256 give 32 bytes
_HASHES = {HMAC_SM3: hashes.SM3, HMAC_SHA256: hashes.SHA256}


class MacError(ValueError):
    """An unknown or unusable MAC algorithm, or an unusable key."""


def sm3_available() -> bool:
    try:
        crypto_hmac.HMAC(b"probe", hashes.SM3())
    except UnsupportedAlgorithm:
        return False
    return True


def preferred_alg() -> str:
    """HMAC-SM3 (国密) when the crypto backend has SM3, else HMAC-SHA256."""
    return HMAC_SM3 if sm3_available() else HMAC_SHA256


def new_mac(key: bytes, alg: str) -> crypto_hmac.HMAC:
    """An incremental HMAC (`update(bytes)`, `finalize()`), for files written or read in chunks."""
    if not isinstance(key, (bytes, bytearray)) or len(key) < 16:
        raise MacError("MAC 密钥必须是至少 16 字节的二进制数据")
    hash_cls = _HASHES.get(alg)
    if hash_cls is None:
        raise MacError(f"不支持的 MAC 算法“{alg}”（可选 {'、'.join(ALGORITHMS)}）")
    try:
        return crypto_hmac.HMAC(bytes(key), hash_cls())
    except UnsupportedAlgorithm as exc:
        raise MacError(f"本机密码库不支持 {alg}，请改用 {HMAC_SHA256}") from exc


def compute_mac(key: bytes, data: bytes, alg: str) -> str:
    """Lowercase hex HMAC of `data`."""
    mac = new_mac(key, alg)
    mac.update(data)
    return mac.finalize().hex()


def verify_mac(key: bytes, data: bytes, alg: str, mac_hex: str) -> bool:
    """Constant-time comparison of the expected MAC with `mac_hex` (which must be lowercase hex)."""
    expected = compute_mac(key, data, alg)
    return std_hmac.compare_digest(expected.encode("ascii"), str(mac_hex).encode("ascii", "replace"))
