"""Columns of checks that depend on the data key (see core/keyed.py)."""
from yikatong.core.keyed import ID, Bytes, Mapped

from .evidence import EVIDENCE_PURPOSE
from .rekey import rekey_fingerprints

COLUMNS = {
    "checks.Finding": (Mapped("id_bidx", fn=ID),),  # copied from the item hit
    "checks.FindingEvidence": (Bytes("content_enc", purpose=EVIDENCE_PURPOSE),),
}
REKEY = (rekey_fingerprints,)  # fingerprints hashing a blind index (SHARED_ACCOUNT)
