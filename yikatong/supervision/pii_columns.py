"""Columns of supervision that depend on the data key (see core/keyed.py)."""
from yikatong.core.keyed import Bytes

from .inspection_results import EVIDENCE_PURPOSE as INSPECTION_EVIDENCE_PURPOSE
from .recovery_files import EVIDENCE_PURPOSE as REPAYMENT_EVIDENCE_PURPOSE

COLUMNS = {
    "supervision.InspectionEvidence": (Bytes("content_enc", purpose=INSPECTION_EVIDENCE_PURPOSE),),
    "supervision.Repayment": (Bytes("evidence_enc", purpose=REPAYMENT_EVIDENCE_PURPOSE),),  # supervision.recovery_files
}
