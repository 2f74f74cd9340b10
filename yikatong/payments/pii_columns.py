"""Columns of payments that depend on the data key (see core/keyed.py)."""
from yikatong.core.keyed import ID, Bytes, Mapped, Text

from .exchange.storage import AGREEMENT_PURPOSE, RECEIPT_PURPOSE, SURVEY_PURPOSE
from .exchange.storage import PURPOSE as BANK_FILE
from .upward_format import PURPOSE as UPWARD

COLUMNS = {
    "payments.BankAgreement": (Text("payer_account_encrypted"), Text("mac_key_encrypted")),  # core.crypto
    "payments.AgreementDocument": (Bytes("content_enc", purpose=AGREEMENT_PURPOSE),),  # core.sealed
    "payments.SmsNotice": (Text("phone_enc"),),
    "payments.BankFile": (Bytes("content", purpose=BANK_FILE),),  # exchange/storage.py
    "payments.FundReturn": (Bytes("receipt_enc", purpose=RECEIPT_PURPOSE),),  # payments.returns
    "payments.BankSurvey": (Bytes("report_enc", purpose=SURVEY_PURPOSE),),  # payments.surveys
    "payments.UpwardExport": (Bytes("csv_enc", purpose=UPWARD), Bytes("json_enc", purpose=UPWARD)),  # payments.upward
    "payments.PaymentClaim": (Mapped("id_bidx", fn=ID),),  # copied from the claiming item (claims.py)
}
