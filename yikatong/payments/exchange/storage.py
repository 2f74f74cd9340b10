"""At-rest encryption of bank files (BankFile.content), through core.sealed.

The purpose string is bound as associated data, so a blob of another kind of record cannot be
passed off as a bank file. Rotation of YKT_DATA_KEY re-seals these blobs (payments.pii_columns).
"""
from yikatong.core import sealed

PURPOSE = b"ykt.payments.bankfile.v1"
AGREEMENT_PURPOSE = b"ykt.payments.agreement-document.v1"
RECEIPT_PURPOSE = b"ykt.payments.fund-return-receipt.v1"
SURVEY_PURPOSE = b"ykt.payments.bank-survey-report.v1"


def seal_content(data: bytes) -> bytes:
    return sealed.seal(data, purpose=PURPOSE).blob


def open_content(blob) -> bytes:
    return sealed.unseal(blob, purpose=PURPOSE)
