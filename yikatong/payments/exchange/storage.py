"""At-rest encryption of bank files (BankFile.content): the registry Vault's AES-GCM over bytes.

The purpose string is bound as associated data, so a blob of another kind of record cannot be
passed off as a bank file. Rotation of YKT_DATA_KEY must re-seal these blobs as well.
"""
from yikatong.registry.pii import vault

PURPOSE = b"ykt.payments.bankfile.v1"


def seal_content(data: bytes) -> bytes:
    return vault().encrypt_bytes(bytes(data), purpose=PURPOSE)


def open_content(blob) -> bytes:
    return vault().decrypt_bytes(bytes(blob), purpose=PURPOSE)
