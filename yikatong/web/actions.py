"""The one "perform an action and report" helper for page views: run one service call, flash its
success or the refusal's message (the refusal's code rides along as the message's tag, shown as
`data-code`), redirect. A PermissionDenied is not caught: it reaches handler403 (web.permissions)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from yikatong.core import uploads
from yikatong.core.refusals import Refusal, code_of

FAILURES: tuple[type[BaseException], ...] = (Refusal, ValidationError)


def refusal_text(exc: BaseException) -> str:
    if isinstance(exc, uploads.UploadRefused):
        return uploads.shown(exc)  # an upload's refusal names its code in the text too
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def refusal_code(exc: BaseException) -> str:
    return code_of(exc)


def report_refusal(request, exc: BaseException, prefix: str = "") -> None:
    """Flash a refused action's Chinese message, tagged with its code."""
    messages.error(request, prefix + refusal_text(exc), extra_tags=refusal_code(exc))


def _target(then, result):
    return then(result) if callable(then) else then


def perform(request, call, success, then, *, failures: tuple = FAILURES, prefix: str = "",
            flash_denied: bool = False):
    """Run `call()`. On one of `failures` flash the refusal (with `prefix`) and redirect to `then(None)`;
    else flash `success` (text, or a function of the result) and redirect to `then(result)`. `then` is
    a URL, a URL name, or a function of the call's result giving one. A PermissionDenied goes to the
    403 page, unless `flash_denied` (a page whose refusals are all reported on the page it returns to)."""
    try:
        result = call()
    except Exception as exc:
        denied = isinstance(exc, PermissionDenied)
        if (denied and not flash_denied) or not (denied or isinstance(exc, failures)):
            raise
        report_refusal(request, exc, prefix)
        return redirect(_target(then, None))
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(_target(then, result))
