"""本人发放查询 (/public/query/): no login. The page never echoes the ID number or name it was given, so an
unknown ID and a wrong name render the same page. Where the profile asks for an SMS code, the first POST
answers the code form (the same for everyone) and a second POST with the code shows the answer."""
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yikatong.audit.middleware import client_ip

from . import query_guard
from .errors import DisclosureError
from .query_codes import CodeSent
from .query_service import self_query, self_query_confirm


def _client(request) -> str:
    return client_ip(request) or "unknown"


@never_cache
@require_http_methods(["GET", "POST"])
def query_page(request):
    client = _client(request)
    context, status = {"answer": None, "error": None}, 200
    if request.method == "POST":
        try:
            if "code_token" in request.POST:
                context["answer"] = self_query_confirm(client=client, token=request.POST.get("code_token", ""),
                                                       code=request.POST.get("code", ""))
            else:
                result = self_query(
                    client=client, id_number=request.POST.get("id_number", ""), name=request.POST.get("name", ""),
                    challenge_token=request.POST.get("challenge_token", ""),
                    challenge_answer=request.POST.get("challenge_answer", ""))
                context["answer" if not isinstance(result, CodeSent) else "code_sent"] = result
        except DisclosureError as exc:
            if "code_token" in request.POST and exc.code == "SELF_QUERY_CODE_WRONG":
                context["code_sent"] = CodeSent(token=request.POST.get("code_token", ""))  # try again
            context["error"] = exc
            status = getattr(exc, "http_status", 400) or 400
    if query_guard.challenge_needed(client):
        context["challenge"] = query_guard.new_challenge()
    return render(request, "disclosure/query/page.html", context, status=status)
