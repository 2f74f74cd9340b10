"""Refuse requests carrying NUL characters before any view sees them: PostgreSQL cannot store or
compare a NUL in text, so a `%00` in a path, query or form field used to end as a server error (500)."""
import re
from urllib.parse import unquote_to_bytes

from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpResponseBadRequest, JsonResponse

NUL = b"\x00"
MESSAGE = "请求中含有不允许的字符（NUL），已拒绝。"


def _has_nul(raw: str) -> bool:
    return bool(raw) and NUL in unquote_to_bytes(raw)


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        if request.method in ("POST", "PUT", "PATCH") and self._body_has_nul(request):
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _body_has_nul(request) -> bool:
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            # form fields only (the CSRF check parses the same form); uploaded files may hold any bytes
            return any("\x00" in value for _, values in request.POST.lists() for value in values)
        if request.content_type == "application/json":
            return b"\\u0000" in request.body or NUL in request.body
        return False



MALFORMED_CODE = "MALFORMED_URL"
MALFORMED_MESSAGE = "请求地址含有无效的编码（不是有效的 UTF-8 或百分号编码），已拒绝。"
_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def malformed_url(meta: dict) -> bool:
    """True when the path or query is not valid percent-encoded UTF-8. Django re-quotes path bytes
    that are not UTF-8 (b"\\xff" becomes "%FF") and would answer with a confusing 404 or 500, so the
    path is un-quoted again and checked; the raw URI (gunicorn's RAW_URI, uwsgi's REQUEST_URI) is
    checked for broken escapes before the server decoded them."""
    path = unquote_to_bytes(get_bytes_from_wsgi(meta, "PATH_INFO", "/"))
    raw_uri = (meta.get("RAW_URI") or meta.get("REQUEST_URI") or "").encode("latin-1", "replace")
    raw_path = raw_uri.split(b"?", 1)[0]
    query = get_bytes_from_wsgi(meta, "QUERY_STRING", "")
    return (not _is_utf8(path) or not _is_utf8(unquote_to_bytes(raw_path)) or bool(_BAD_PERCENT.search(raw_path))
            or bool(_BAD_PERCENT.search(query)) or not _is_utf8(unquote_to_bytes(query)))


class RejectMalformedPathMiddleware:
    """400 (not a 404 or a server error) for a URL whose bytes are not valid UTF-8 or whose percent
    escapes are broken; the API answers JSON {"code", "message"}."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if malformed_url(request.META):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": MALFORMED_CODE, "message": MALFORMED_MESSAGE}, status=400,
                                    json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest(f"{MALFORMED_MESSAGE}（{MALFORMED_CODE}）",
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)
