"""The payments app's models, one module per subject; import them from here (`from yikatong.payments.models import X`)."""
from .banks import AgentBank, AgreementDocument, BankAgreement
from .files import BankFile, BatchNumberSequence, Direction, FileKind
from .orders import ItemStatus, OrderState, PaidOrigin, PaymentOrder, PaymentOrderItem, Reissue
from .sms import SmsNotice, SmsState
from .clearing import Clearing
from .claims import PaymentClaim
from .returns import FundReturn
from .survey import BankSurvey
from .upward import UpwardExport

__all__ = [
    "AgentBank",
    "AgreementDocument",
    "BankAgreement",
    "BankFile",
    "BankSurvey",
    "BatchNumberSequence",
    "Clearing",
    "Direction",
    "FileKind",
    "FundReturn",
    "ItemStatus",
    "OrderState",
    "PaidOrigin",
    "PaymentClaim",
    "PaymentOrder",
    "PaymentOrderItem",
    "Reissue",
    "SmsNotice",
    "SmsState",
    "UpwardExport",
]
