"""Error answers: Chinese pages for 400/403/404/500 and the CSRF failure, JSON {"code", "message"} for
the API. A server error never shows its cause (a raw database error can quote values and table
names): the page and the JSON carry a reference id, and the log line with the same id holds the
exception type and the stack (file, line, function) — not the exception's text, which may quote
personal data.
"""
from __future__ import annotations

import logging
import traceback
import uuid

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader

from yikatong.core.refusals import Refusal, code_of, http_status, message_for, register_messages

log = logging.getLogger("yikatong.errors")

register_messages({
    "BAD_REQUEST": "请求格式不正确，无法处理。",
    "MALFORMED_REQUEST": "请求内容无法解析（不是有效的 JSON 或编码不正确）。",
    "NOT_FOUND": "您访问的页面或对象不存在，或不在您的辖区内。",
    "METHOD_NOT_ALLOWED": "不支持该请求方法。",
    "VALIDATION_ERROR": "请求参数不正确，请检查后重试。",
    "CSRF_FAILED": "页面已过期或来源无法验证（CSRF 校验失败），请刷新页面后重试。",
    "INTERNAL_ERROR": "系统内部错误，操作未完成。请将参考编号 {reference} 告知系统管理员。",
    # the business commands (web.cli_support): --as names the acting user
    "CLI_ACTOR_REQUIRED": "请用 --as 指定以哪个用户的身份操作（用户名）",
    "CLI_ACTOR_UNKNOWN": "用户“{username}”不存在（--as 须为系统中已有的用户名）",
    "CLI_ACTOR_INACTIVE": "用户“{username}”已停用，不能以其身份操作",
    "CLI_JOB_FAILED": "后台任务 {job} 未完成（{state}）：{message}",
})

STATUS_CODES = {400: "BAD_REQUEST", 401: "NOT_AUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND",
                405: "METHOD_NOT_ALLOWED", 422: "VALIDATION_ERROR"}


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def new_reference() -> str:
    return uuid.uuid4().hex[:12].upper()


def redacted_traceback(exc: BaseException) -> str:
    """The stack without the exception's message (which may quote personal data)."""
    return "".join(traceback.format_tb(exc.__traceback__)) + f"{type(exc).__module__}.{type(exc).__qualname__}"


def log_server_error(request, exc: BaseException, reference: str) -> None:
    log.error("server error ref=%s %s %s %s\n%s", reference, request.method, request.path,
              type(exc).__name__, redacted_traceback(exc))


def _refusal_parts(exc, default: str) -> tuple[str, str]:
    if isinstance(exc, Refusal):
        return exc.code, exc.message
    text = str(exc) if isinstance(exc, PermissionDenied) else ""  # never echo a 400's (attacker's) text
    if text and not text.isascii():  # a view's own Chinese reason (PermissionDenied("您没有可比对的辖区"))
        return default, text
    return default, _message(default)


def _message(code: str, **params) -> str:
    if code == "NOT_AUTHENTICATED":  # registered by rosters.scope with a page's wording
        return "请先登录或提供有效的 API 令牌。"
    return message_for(code, **params)


def json_error(code: str, message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, **extra}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _page(request, template: str, status: int, context: dict) -> HttpResponse:
    return HttpResponse(loader.render_to_string(template, context, request), status=status)


# --- Django handlers (urls.handler400 … handler500, CSRF_FAILURE_VIEW) -----------------------------

def bad_request(request, exception=None):
    code, message = _refusal_parts(exception, "BAD_REQUEST")
    if is_api(request):
        return json_error(code, message, 400)
    return _page(request, "400.html", 400, {"code": code, "message": message})


def permission_denied(request, exception=None):
    code, message = _refusal_parts(exception, "FORBIDDEN")
    if is_api(request):
        return json_error(code, message, 403)
    return _page(request, "403.html", 403, {"code": code, "message": message})


def page_not_found(request, exception=None):
    if is_api(request):
        return json_error("NOT_FOUND", _message("NOT_FOUND"), 404)
    return _page(request, "404.html", 404, {"code": "NOT_FOUND", "message": _message("NOT_FOUND")})


def server_error(request):
    reference = getattr(request, "error_reference", None) or new_reference()
    message = _message("INTERNAL_ERROR", reference=reference)
    if is_api(request):
        return json_error("INTERNAL_ERROR", message, 500, reference=reference)
    # no RequestContext: the failure may be in a context processor or the database
    return HttpResponse(loader.get_template("500.html").render({"reference": reference, "message": message}),
                        status=500)


def csrf_failure(request, reason=""):
    message = _message("CSRF_FAILED")
    if is_api(request):
        return json_error("CSRF_FAILED", message, 403)
    return _page(request, "403_csrf.html", 403, {"code": "CSRF_FAILED", "message": message})


class ErrorReferenceMiddleware:
    """Gives an unhandled exception its reference id and logs it (redacted) once, before Django's
    handler500 renders the page that shows the same id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (Http404, PermissionDenied, Refusal)):
            return None
        request.error_reference = new_reference()
        log_server_error(request, exception, request.error_reference)
        return None


class RedactExceptionFilter(logging.Filter):
    """On `django.request`: a logged exception keeps its stack and type but not its message (a
    database error quotes the values it failed on)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(getattr(record, "request", None), "error_reference", None) and record.name == "django.request":
            return False  # already logged, with its reference, by ErrorReferenceMiddleware
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redacted_traceback(record.exc_info[1])
            record.exc_info = None
        return True


# --- the JSON API (django-ninja) -------------------------------------------------------------------

def install_api_handlers(api) -> None:
    """Every API error is JSON {"code", "message"}; an unexpected one is INTERNAL_ERROR with a reference."""
    from django.http.request import RawPostDataException
    from ninja.errors import AuthenticationError, HttpError, ValidationError

    def on_refusal(request, exc: Refusal):
        return json_error(exc.code, exc.message, http_status(exc))

    def on_http_error(request, exc: HttpError):
        code = STATUS_CODES.get(exc.status_code, f"HTTP_{exc.status_code}")
        text = str(exc)
        if exc.status_code == 400 and text.startswith("Cannot parse request body"):
            code, text = "MALFORMED_REQUEST", _message("MALFORMED_REQUEST")
        elif exc.status_code == 403 and text.startswith("CSRF check"):
            code, text = "CSRF_FAILED", _message("CSRF_FAILED")
        elif isinstance(exc, AuthenticationError) or text.isascii():  # ninja's English defaults
            text = _message(code)
        return json_error(code, text, exc.status_code, detail=text)

    def on_validation(request, exc: ValidationError):
        return json_error("VALIDATION_ERROR", _message("VALIDATION_ERROR"), 422, detail=exc.errors)

    def on_invalid(request, exc: DjangoValidationError):
        # a service's coded refusal (core.refusals.invalid): its code and Chinese message; 409 for a
        # code registered as a conflict (a refusal by the object's state)
        return json_error(code_of(exc), "；".join(exc.messages), http_status(exc))

    def on_denied(request, exc: PermissionDenied):
        return json_error("FORBIDDEN", str(exc) or _message("FORBIDDEN"), 403)

    def on_not_found(request, exc: Http404):
        return json_error("NOT_FOUND", _message("NOT_FOUND"), 404)

    def on_raw_body(request, exc: RawPostDataException):
        # a form (multipart/urlencoded) body sent to a JSON operation: the form was parsed already
        # (NUL check, CSRF), so the JSON body cannot be read — it was never JSON; a client error
        return json_error("MALFORMED_REQUEST", _message("MALFORMED_REQUEST"), 400)

    def on_exception(request, exc: Exception):
        reference = new_reference()
        log_server_error(request, exc, reference)
        return json_error("INTERNAL_ERROR", _message("INTERNAL_ERROR", reference=reference), 500,
                          reference=reference)

    api.add_exception_handler(Refusal, on_refusal)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(DjangoValidationError, on_invalid)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(RawPostDataException, on_raw_body)
    api.add_exception_handler(Exception, on_exception)
