"""本人发放查询 (/public/query/): no login. The page never echoes the ID number or name it was given, so an
unknown ID and a wrong name render the same page."""
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yikatong.audit.middleware import client_ip

from . import query_guard
from .errors import DisclosureError
from .query_service import self_query


def _client(request) -> str:
    return client_ip(request) or "unknown"


@never_cache
@require_http_methods(["GET", "POST"])
def query_page(request):
    client = _client(request)
    context, status = {"answer": None, "error": None}, 200
    if request.method == "POST":
        try:
            context["answer"] = self_query(
                client=client, id_number=request.POST.get("id_number", ""), name=request.POST.get("name", ""),
                challenge_token=request.POST.get("challenge_token", ""),
                challenge_answer=request.POST.get("challenge_answer", ""))
        except DisclosureError as exc:
            context["error"] = exc
            status = getattr(exc, "http_status", 400) or 400
    if query_guard.challenge_needed(client):
        context["challenge"] = query_guard.new_challenge()
    return render(request, "disclosure/query/page.html", context, status=status)
