"""Files at rest: an encrypted blob plus the digest and size of the plaintext.

The one accessor for whole files that carry personal data (bank files, batch attachments, signed
agreement texts): `seal` encrypts with the data key's Vault (core.crypto) (AES-GCM under YKT_DATA_KEY) and binds a
`purpose` as associated data, so the blob of one kind of record cannot be passed off as another;
`unseal` decrypts and, given the digest recorded at sealing, checks it. Digests are of the
plaintext, so a file still verifies against what was sent, received or signed.

Blobs live in database columns (BinaryField), not on disk: nothing plaintext is left in the media
folder, and key rotation (registry.rotation, each app's pii_columns.py declaring core.keyed.Bytes) re-seals them in place.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from .crypto import vault

__all__ = ["Sealed", "seal", "unseal", "digest", "SealedDigestMismatch"]


class SealedDigestMismatch(ValueError):
    """The plaintext under a sealed blob does not match the digest recorded with it."""


@dataclass(frozen=True)
class Sealed:
    blob: bytes  # nonce + AES-GCM ciphertext
    sha256: str  # of the plaintext
    size: int  # of the plaintext


def digest(data: bytes) -> str:
    return hashlib.sha256(bytes(data)).hexdigest()


def seal(data: bytes, *, purpose: bytes) -> Sealed:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("文件内容必须是字节串")
    data = bytes(data)
    return Sealed(vault().encrypt_bytes(data, purpose=purpose), digest(data), len(data))


def unseal(blob, *, purpose: bytes, sha256: str | None = None) -> bytes:
    """The plaintext of `blob`; with `sha256`, refuse (SealedDigestMismatch) a blob that is not it."""
    data = vault().decrypt_bytes(bytes(blob), purpose=purpose)
    if sha256 is not None and not hmac.compare_digest(digest(data), sha256):
        raise SealedDigestMismatch("文件内容与登记的摘要不符")
    return data
