"""Evidence (依据) of a disposition: checking uploaded files and storing them encrypted.

Accepted: PDF, JPG, PNG and XLSX, each up to 10 MB, at most 5 per disposition; the type is read
from the bytes, not the name. The bytes are AES-GCM encrypted (core.crypto vault, purpose
EVIDENCE_PURPOSE) into the database: evidence often shows ID cards and bank books.
Called inside the disposition's transaction; the disposition records the one audit event."""
import hashlib
import io
import zipfile
from dataclasses import dataclass

from yikatong.core.crypto import vault
from yikatong.core.refusals import invalid
from yikatong.core.sheets import SheetError
from yikatong.core.sheets.xlsxcheck import check_xlsx
from yikatong.core.uploads import limit_for, shown

from . import errors  # noqa: F401  (the refusal catalogue)
from .models import Finding, FindingEvidence

EVIDENCE_PURPOSE = b"checks-evidence"
MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", XLSX: ".xlsx"}
_MAGIC = {b"%PDF": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png"}


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def _is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def sniff(data: bytes) -> str | None:
    for magic, ctype in _MAGIC.items():
        if data.startswith(magic):
            return ctype
    return XLSX if _is_xlsx(data) else None


def check(uploads) -> list[tuple[Upload, str]]:
    """Validate every upload before anything is stored; (upload, content type) pairs."""
    uploads = list(uploads)
    if len(uploads) > MAX_FILES:
        raise invalid("FINDING_EVIDENCE_TOO_MANY", limit=MAX_FILES, count=len(uploads))
    out = []
    for u in uploads:
        name = (u.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "依据"
        if not u.data:
            raise invalid("FINDING_EVIDENCE_EMPTY", name=name)
        if len(u.data) > limit_for("evidence"):
            raise invalid("FINDING_EVIDENCE_TOO_LARGE", name=name, limit_mb=limit_for("evidence") // (1024 * 1024))
        ctype = sniff(u.data)
        if ctype == XLSX:  # the same pre-check as every spreadsheet: no zip bomb is stored either
            try:
                check_xlsx(io.BytesIO(u.data))
            except SheetError as exc:
                raise invalid("FINDING_EVIDENCE_XLSX_REFUSED", name=name, problem=shown(exc)) from exc
        if ctype is None:
            raise invalid("FINDING_EVIDENCE_TYPE_REFUSED", name=name)
        out.append((Upload(name, u.data), ctype))
    return out


def store(*, finding: Finding, actor, text: str, files: list[tuple[Upload, str]], now) -> list[FindingEvidence]:
    """Store the note and the (already checked) files of one disposition."""
    v = vault()
    rows = []
    if text:
        rows.append(FindingEvidence(finding=finding, text=text, uploaded_by=actor, uploaded_at=now))
    for u, ctype in files:
        rows.append(FindingEvidence(
            finding=finding, filename=u.filename, content_type=ctype, size=len(u.data),
            sha256=hashlib.sha256(u.data).hexdigest(), content_enc=v.encrypt_bytes(u.data, purpose=EVIDENCE_PURPOSE),
            uploaded_by=actor, uploaded_at=now))
    return FindingEvidence.objects.bulk_create(rows)


def content_of(item: FindingEvidence) -> bytes:
    return vault().decrypt_bytes(bytes(item.content_enc), purpose=EVIDENCE_PURPOSE)


def summary(items) -> list[dict]:
    """What the audit event keeps of the evidence: no content, only names, sizes and digests."""
    return [{"filename": e.filename, "size": e.size, "sha256": e.sha256} if e.filename else {"text": e.text[:200]}
            for e in items]
