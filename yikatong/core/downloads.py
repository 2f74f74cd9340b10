"""Serving a stored file back: the type read from the bytes against a whitelist, never the client's
word; always a download (Content-Disposition: attachment) under a sanitised name; no sniffing by the
browser. Used for batch attachments and signed agreement texts (their bytes come from core.sealed)."""
from __future__ import annotations

import re
import unicodedata

from django.http import HttpResponse
from django.utils.http import content_disposition_header

__all__ = ["ALLOWED_TYPES", "XLSX", "sniff", "safe_filename", "download_response", "export_response"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: content type -> file extension: the only types accepted as uploads of documents and photos
ALLOWED_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
_MAGIC = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|;]+')


def sniff(data: bytes) -> str | None:
    """The whitelisted type whose signature `data` starts with, else None."""
    head = bytes(data[:16])
    for magic, ctype in _MAGIC:
        if head.startswith(magic):
            return ctype
    return None


def safe_filename(name: str, *, content_type: str | None = None, default: str = "file") -> str:
    """A download name without paths, control characters or header metacharacters, at most 100
    characters, ending with the extension of `content_type` when given."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._") or default
    ext = ALLOWED_TYPES.get(content_type or "")
    stem, dot, current = name.rpartition(".")
    if ext and (not dot or f".{current.lower()}" not in (ext, ".jpeg" if ext == ".jpg" else ext)):
        name = f"{name}{ext}"
    if len(name) > 100:
        keep = ext or (f".{current}"[:10] if dot else "")
        name = name[: 100 - len(keep)] + keep
    return name


def download_response(data: bytes, *, filename: str, content_type: str | None) -> HttpResponse:
    """The bytes as a download. `content_type` must be a whitelisted (sniffed) type; anything else
    is sent as application/octet-stream."""
    ctype = content_type if content_type in ALLOWED_TYPES else "application/octet-stream"
    resp = HttpResponse(bytes(data), content_type=ctype)
    resp["Content-Disposition"] = content_disposition_header(True, safe_filename(filename, content_type=ctype))
    resp["Content-Length"] = str(len(data))
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cache-Control"] = "no-store, private"
    return resp


def export_response(data: bytes, *, filename: str, content_type: str = XLSX) -> HttpResponse:
    """A file Yikatong wrote itself (an xlsx export, a zip case file) as a download under a sanitised
    name (RFC 5987, so Chinese names survive); never cached."""
    from urllib.parse import quote

    resp = HttpResponse(bytes(data), content_type=content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(safe_filename(filename))}"
    resp["Cache-Control"] = "no-store, private"
    return resp
