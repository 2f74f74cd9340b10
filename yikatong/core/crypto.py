"""Encryption of personal data at rest (AES-256-GCM) and keyed blind indexes (HMAC-SHA256).

Ciphertexts are text: "v1:" + urlsafe-base64(nonce || ciphertext+tag). The key comes
from settings.YKT_DATA_KEY (urlsafe base64 of 32 bytes, or any string, which is
stretched with SHA-256). The blind index key is derived from the same secret, so an
exact-match lookup never needs the plaintext stored.
"""
import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1:"


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
    nonce = os.urandom(12)
    ct = AESGCM(_enc_key(secret)).encrypt(nonce, plaintext.encode(), None)
    return PREFIX + base64.urlsafe_b64encode(nonce + ct).decode()


def decrypt(token: str | None, *, secret: str | None = None) -> str:
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise ValueError("密文格式不正确")
    blob = base64.urlsafe_b64decode(token[len(PREFIX):])
    return AESGCM(_enc_key(secret)).decrypt(blob[:12], blob[12:], None).decode()


def blind_index(value: str | None, *, secret: str | None = None) -> str:
    """Keyed hash for exact lookup and joins; normalise the value before calling."""
    if not value:
        return ""
    return hmac.new(_index_key(secret), value.encode(), hashlib.sha256).hexdigest()
