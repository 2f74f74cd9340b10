"""Shared by the thin policy views: form errors and serving a stored file."""
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404


def form_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form, each error keeping its code (rendered as data-code)."""
    errors = [ValidationError(m) for m in exc.messages] if hasattr(exc, "error_dict") else exc.error_list
    for error in errors:
        form.add_error(None, error)


def serve_file(field, *, download_name: str | None = None):
    if not field:
        raise Http404("没有文件")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    return FileResponse(handle, as_attachment=False, filename=download_name or field.name.rsplit("/", 1)[-1])
