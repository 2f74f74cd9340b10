"""Shared by the thin policy views: form errors and serving a stored file."""
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404


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
