"""The one entry point for uploaded files: size limit per kind, checked before the file is read.

Every upload endpoint names its kind (roster, register, reference, compare, policy, change,
evidence, attachment, bankfile); the limit is settings.YKT_UPLOAD_MAX_BYTES[kind] (defaults and
the environment override in yikatong/settings/uploads.py). Django streams a file larger than
FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, and `LimitedUploadHandler` stops reading one
larger than the largest limit of any kind, so nothing oversized is ever held in memory:

    data = uploads.read(request, form.cleaned_data["file"], "roster")   # bytes, or Refusal UPLOAD_TOO_LARGE

Spreadsheets are then opened only through yikatong.core.sheets (xlsx pre-check, parser in a
child process with memory and time limits).
"""
from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from .refusals import Refusal, register_messages

MB = 1024 * 1024
KIND_LABELS = {
    "roster": "清册", "register": "底册", "reference": "共享比对数据", "compare": "待比对名单", "policy": "政策文件",
    "change": "变更申请附件", "evidence": "依据文件", "attachment": "材料", "bankfile": "银行回盘文件",
    "users": "用户名单",
}
_FALLBACK = 10 * MB

register_messages({
    "UPLOAD_TOO_LARGE": "{kind}文件“{name}”太大（{size_mb} MB），超过上限 {limit_mb} MB；请拆分后分批上传",
})


class UploadRefused(Refusal):
    default_code = "UPLOAD_REFUSED"


def limit_for(kind: str) -> int:
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown upload kind {kind!r}")
    limits = getattr(settings, "YKT_UPLOAD_MAX_BYTES", {}) or {}
    if kind in limits:
        return int(limits[kind])
    from yikatong.settings.uploads import DEFAULT_UPLOAD_MAX_BYTES

    return DEFAULT_UPLOAD_MAX_BYTES.get(kind, _FALLBACK)


def largest_limit() -> int:
    return max(limit_for(k) for k in KIND_LABELS)


def _mb(n: int) -> str:
    value = n / MB
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _name(upload) -> str:
    name = upload if isinstance(upload, str) else getattr(upload, "name", "")
    return (name or "").replace("\\", "/").rsplit("/", 1)[-1][:80]


def check(upload, kind: str, request=None) -> None:
    """Refuse (UPLOAD_TOO_LARGE) a file over its kind's limit, or one the upload handler stopped reading."""
    limit = limit_for(kind)
    truncated = request is not None and _name(upload) in getattr(request, "_ykt_truncated_uploads", {})
    size = getattr(upload, "size", None)
    if truncated or (size is not None and size > limit):
        shown = max(size or 0, limit + 1)
        raise UploadRefused("UPLOAD_TOO_LARGE", kind=KIND_LABELS[kind], name=_name(upload), size_mb=_mb(shown),
                            limit_mb=_mb(limit), limit=limit)


def read(request, upload, kind: str) -> bytes:
    """The file's bytes once its size is within the kind's limit (never more than limit + 1 bytes read)."""
    check(upload, kind, request)
    upload.seek(0)
    data = upload.read(limit_for(kind) + 1)
    if len(data) > limit_for(kind):
        raise UploadRefused("UPLOAD_TOO_LARGE", kind=KIND_LABELS[kind], name=_name(upload), size_mb=_mb(len(data)),
                            limit_mb=_mb(limit_for(kind)), limit=limit_for(kind))
    return data


def refuse_oversized(request, field: str, kind: str) -> None:
    """For views whose form would report a stopped file as missing: say it was too large instead."""
    truncated = getattr(request, "_ykt_truncated_uploads", {})
    if field in truncated.values():
        name = next(n for n, f in truncated.items() if f == field)
        raise UploadRefused("UPLOAD_TOO_LARGE", kind=KIND_LABELS[kind], name=name,
                            size_mb=_mb(largest_limit() + 1), limit_mb=_mb(limit_for(kind)), limit=limit_for(kind))
    for upload in request.FILES.getlist(field):
        check(upload, kind, request)


def refusal_of(request, field: str, kind: str) -> UploadRefused | None:
    """refuse_oversized as a value: the refusal, or None when the files of `field` are within the limit."""
    try:
        refuse_oversized(request, field, kind)
    except UploadRefused as exc:
        return exc
    return None


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading a file once it exceeds the largest limit of any kind: it is not kept (neither
    in memory nor on disk) and the request remembers its name, so the view refuses it clearly."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self._seen = 0
        self._cap = largest_limit()

    def receive_data_chunk(self, raw_data, start):
        self._seen += len(raw_data)
        if self._seen > self._cap:
            truncated = getattr(self.request, "_ykt_truncated_uploads", None)
            if truncated is None:
                truncated = self.request._ykt_truncated_uploads = {}
            truncated[_name(self.file_name or "")] = self.field_name
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def shown(exc: Refusal) -> str:
    """A refusal as users see it on a page: the Chinese message and its stable code (for support);
    legacy refusals that have only their class's default code are shown as their message."""
    if exc.code == getattr(type(exc), "default_code", None):
        return exc.message
    return f"{exc.message}（{exc.code}）"


def flash(request, exc: Refusal) -> None:
    from django.contrib import messages

    messages.error(request, shown(exc))
