"""Columns of supervision that depend on the data key (see core/keyed.py)."""
from yikatong.core.keyed import Bytes

from .inspection_results import EVIDENCE_PURPOSE

COLUMNS = {
    "supervision.InspectionEvidence": (Bytes("content_enc", purpose=EVIDENCE_PURPOSE),),
}
