"""Staff pages of published lists (政务公开管理员): the batches in scope with their lists, publish and withdraw."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from yikatong.accounts.roles import Role
from yikatong.core.refusals import Forbidden, Refusal

from . import publish, publish_selectors
from .models import ListKind


def _admin(request) -> None:
    if not request.user.has_role(Role.DISCLOSURE_ADMIN):
        raise Forbidden("LIST_ROLE_NOT_ALLOWED", what="管理公开名单")


@require_GET
def batch_lists(request):
    _admin(request)
    page = Paginator(publish_selectors.staff_batches(request.user), 30).get_page(request.GET.get("page"))
    lists = publish_selectors.staff_lists(b.pk for b in page)
    return render(request, "disclosure/lists/staff_batches.html", {
        "page": page, "rows": [(b, lists.get(b.pk, [])) for b in page], "kinds": ListKind.choices})


def _done(request, fn, ok: str):
    try:
        fn()
        messages.success(request, ok)
    except (Refusal, ValidationError) as exc:
        if getattr(exc, "http_status", None) == 404:
            raise Http404("未找到") from exc
        messages.error(request, str(exc.message if hasattr(exc, "message") else exc))
    return redirect("disclosure_lists")


@require_POST
def list_publish(request, batch_id: int):
    _admin(request)
    kind = request.POST.get("kind", "")
    return _done(request, lambda: publish.list_publish(actor=request.user, batch_id=batch_id, kind=kind), "已公开")


@require_POST
def list_withdraw(request, list_id: int):
    _admin(request)
    reason = request.POST.get("reason", "")
    return _done(request, lambda: publish.list_withdraw(actor=request.user, list_id=list_id, reason=reason), "已撤回")
