"""Personal data at rest: one object per key doing core.crypto's work in bulk.

`Vault` produces exactly what core.crypto.encrypt / blind_index produce (same derived keys,
same "v1:" format; tests check both directions) but keeps the derived keys and the AES-GCM
object, which makes it 3-4x faster per value: it matters when a million-row register is
imported or a key is rotated.

Normalisation before indexing: ID numbers upper case (X), account numbers digits only,
phones without spaces and hyphens.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from yikatong.core import crypto
from yikatong.core.masking import mask_card, mask_id_number, mask_phone

_PHONE_NOISE = re.compile(r"[\s\-()（）]")


class Vault:
    def __init__(self, secret: str | None = None):
        self.secret = secret
        key = crypto._index_key(secret)  # 32 bytes: HMAC pads it to the SHA-256 block (RFC 2104)
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key.ljust(64, b"\0")))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key.ljust(64, b"\0")))
        self._aead = AESGCM(crypto._enc_key(secret))

    # ---- blind indexes ------------------------------------------------------------

    def index(self, value: str) -> str:
        if not value:
            return ""
        # HMAC-SHA256 from precomputed pad states: identical to crypto.blind_index, 3x faster
        inner = self._inner.copy()
        inner.update(value.encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()

    def id_index(self, id_number: str) -> str:
        return self.index(id_number.upper())

    def id_mask_index(self, id_number: str) -> str:
        """Index of the visible part of a masked ID: first 4 and last 4 characters."""
        v = id_number.upper()
        return self.index(f"mask:{v[:4]}:{v[-4:]}")

    def mask_index(self, first4: str, last4: str) -> str:
        return self.index(f"mask:{first4}:{last4.upper()}")

    def digest(self, *parts: str) -> str:
        """Keyed digest of a tuple of values (change detection without storing them)."""
        return self.index("digest:" + "\x1f".join(parts))

    # ---- encryption ---------------------------------------------------------------

    def encrypt(self, plaintext: str) -> str:
        if not plaintext:
            return ""
        nonce = os.urandom(12)
        return crypto.PREFIX + base64.urlsafe_b64encode(nonce + self._aead.encrypt(nonce, plaintext.encode(), None)).decode()

    def decrypt(self, token: str) -> str:
        """Inverse of encrypt; crypto.DecryptionError for a bad token or another key."""
        if not token:
            return ""
        if not token.startswith(crypto.PREFIX):
            raise crypto.DecryptionError("密文格式不正确")
        try:
            blob = base64.urlsafe_b64decode(token[len(crypto.PREFIX):].encode("ascii"))
            return self._aead.decrypt(blob[:12], blob[12:], None).decode()
        except (InvalidTag, binascii.Error, ValueError, UnicodeError) as exc:
            raise crypto.DecryptionError("密文已被篡改或密钥不匹配，无法解密") from exc

    def encrypt_bytes(self, data: bytes, *, purpose: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, data, purpose)

    def decrypt_bytes(self, blob: bytes, *, purpose: bytes) -> bytes:
        return self._aead.decrypt(blob[:12], blob[12:], purpose)


_default: tuple[str, Vault] | None = None


def vault() -> Vault:
    """The vault of the current settings.YKT_DATA_KEY (rebuilt when the setting changes)."""
    global _default
    from django.conf import settings

    key = settings.YKT_DATA_KEY
    if _default is None or _default[0] != key:
        _default = (key, Vault(key))
    return _default[1]


def normalize_account(number: str) -> str:
    return re.sub(r"[\s\-]", "", number or "")


def normalize_phone(phone: str) -> str:
    return _PHONE_NOISE.sub("", phone or "")


def masked_id(token: str) -> str:
    return mask_id_number(vault().decrypt(token)) if token else ""


def masked_account(token: str) -> str:
    return mask_card(vault().decrypt(token)) if token else ""


def masked_phone(token: str) -> str:
    return mask_phone(vault().decrypt(token)) if token else ""
