"""Columns of supervision that depend on the data key (see core/keyed.py)."""
from yikatong.core.keyed import Bytes

from .recovery_files import EVIDENCE_PURPOSE

COLUMNS = {
    "supervision.Repayment": (Bytes("evidence_enc", purpose=EVIDENCE_PURPOSE),),  # supervision.recovery_files
}
