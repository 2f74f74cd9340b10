"""The evidence file of a repayment (缴款凭证): type read from the bytes, sealed at rest (core.sealed)."""
from yikatong.core import downloads, sealed
from yikatong.core.refusals import invalid
from yikatong.core.uploads import limit_for

from . import errors  # noqa: F401  (registers the refusal messages)

EVIDENCE_PURPOSE = b"supervision-repayment"


def seal_evidence(name: str, data: bytes | None) -> dict:
    """Repayment columns of one checked, sealed evidence file."""
    if not data:
        raise invalid("REPAYMENT_EVIDENCE_REQUIRED")
    if len(data) > limit_for("attachment"):
        raise invalid("REPAYMENT_EVIDENCE_TOO_LARGE", limit_mb=limit_for("attachment") // (1024 * 1024))
    ctype = downloads.sniff(data)
    if ctype is None:
        raise invalid("REPAYMENT_EVIDENCE_TYPE")
    box = sealed.seal(data, purpose=EVIDENCE_PURPOSE)
    return {"evidence_name": downloads.safe_filename(name or "", content_type=ctype, default="缴款凭证"),
            "evidence_type": ctype, "evidence_size": box.size, "evidence_sha256": box.sha256, "evidence_enc": box.blob}
