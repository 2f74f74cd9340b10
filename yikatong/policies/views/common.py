"""Shared by the thin views: refuse with the standard page, run one service and report in Chinese."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render


def forbidden(request):
    return render(request, "web/forbidden.html", status=403)


def perform(request, call, *, success: str, then):
    """Run `call()`; PermissionDenied -> 403 page; ValidationError -> message; else redirect to `then`
    (a URL or a function of the call's result)."""
    try:
        result = call()
    except PermissionDenied:
        return forbidden(request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(then(None) if callable(then) else then)
    messages.success(request, success)
    return redirect(then(result) if callable(then) else then)


def form_errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def serve_file(field, *, download_name: str | None = None):
    if not field:
        raise Http404("没有文件")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    return FileResponse(handle, as_attachment=False, filename=download_name or field.name.rsplit("/", 1)[-1])
