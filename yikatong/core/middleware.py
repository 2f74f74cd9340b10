"""Refuse requests carrying NUL characters before any view sees them: PostgreSQL cannot store or
compare a NUL in text, so a `%00` in a path, query or form field used to end as a server error (500)."""
from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest

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
