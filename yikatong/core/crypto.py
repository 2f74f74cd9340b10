"""Encryption of personal data at rest (AES-256-GCM) and keyed blind indexes (HMAC-SHA256).

Ciphertexts are text: "v1:" + urlsafe-base64(nonce || ciphertext+tag). The key comes
from settings.YKT_DATA_KEY (urlsafe base64 of 32 bytes, or any string, which is
stretched with SHA-256). The blind index key is derived from the same secret, so an
exact-match lookup never needs the plaintext stored.
"""
import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1:"
_NONCE = 12
_TAG = 16


class DecryptionError(ValueError):
    """Ciphertext that is malformed, was altered, or was made with another key."""


def _key_material(secret: str | None = None) -> bytes:
    secret = secret if secret is not None else settings.YKT_DATA_KEY
    try:
        raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
        if len(raw) == 32:
            return raw
    except (ValueError, TypeError):
        pass
    return hashlib.sha256(secret.encode()).digest()


def _enc_key(secret: str | None = None) -> bytes:
    return hmac.new(_key_material(secret), b"yikatong-encryption", hashlib.sha256).digest()


def _index_key(secret: str | None = None) -> bytes:
    return hmac.new(_key_material(secret), b"yikatong-blind-index", hashlib.sha256).digest()


def encrypt(plaintext: str | None, *, secret: str | None = None) -> str:
    if plaintext is None or plaintext == "":
        return ""
    nonce = os.urandom(_NONCE)
    ct = AESGCM(_enc_key(secret)).encrypt(nonce, plaintext.encode(), None)
    return PREFIX + base64.urlsafe_b64encode(nonce + ct).decode()


def decrypt(token: str | None, *, secret: str | None = None) -> str:
    """Inverse of encrypt. Raises DecryptionError (a ValueError) for any bad token."""
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise DecryptionError("密文格式不正确")
    try:
        blob = base64.urlsafe_b64decode(token[len(PREFIX):].encode("ascii"))
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise DecryptionError("密文格式不正确") from exc
    if len(blob) < _NONCE + _TAG:
        raise DecryptionError("密文格式不正确")
    try:
        plain = AESGCM(_enc_key(secret)).decrypt(blob[:_NONCE], blob[_NONCE:], None)
    except InvalidTag as exc:
        raise DecryptionError("密文已被篡改或密钥不匹配，无法解密") from exc
    return plain.decode()


def blind_index(value: str | None, *, secret: str | None = None) -> str:
    """Keyed hash for exact lookup and joins; normalise the value before calling."""
    if not value:
        return ""
    return hmac.new(_index_key(secret), value.encode(), hashlib.sha256).hexdigest()
