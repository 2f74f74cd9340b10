"""Columns of payments that depend on the data key (see core/keyed.py)."""
from yikatong.core.keyed import ID, Bytes, Mapped, Text

from .exchange.storage import AGREEMENT_PURPOSE
from .exchange.storage import PURPOSE as BANK_FILE

COLUMNS = {
    "payments.BankAgreement": (Text("payer_account_encrypted"), Text("mac_key_encrypted")),  # core.crypto
    "payments.AgreementDocument": (Bytes("content_enc", purpose=AGREEMENT_PURPOSE),),  # core.sealed
    "payments.SmsNotice": (Text("phone_enc"),),
    "payments.BankFile": (Bytes("content", purpose=BANK_FILE),),  # exchange/storage.py
    "payments.PaymentClaim": (Mapped("id_bidx", fn=ID),),  # copied from the claiming item (claims.py)
}
