"""Search, person page, reveal (audited) and life events."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from yikatong.web.actions import report_refusal
from yikatong.web.permissions import Forbidden
from .. import lookups, selectors, services
from ..card_status import card_status
from ..forms import CardFollowUpForm, LifeEventForm, SearchForm
from ..permissions import CARD_FOLLOWUP_ROLES, MAINTAIN_ROLES, REVEAL_ROLES, VIEW_ROLES


@require_http_methods(["GET", "POST"])
def search(request):
    """POST keeps ID and account numbers out of URLs and access logs."""
    if not request.user.has_role(*VIEW_ROLES):
        raise Forbidden()
    form = SearchForm(request.POST or None)
    rows, how, status = [], "", 200
    if request.method == "POST" and form.is_valid():
        try:
            rows, how = lookups.search(request.user, form.cleaned_data["q"])
        except lookups.LookupRateLimited as exc:
            messages.error(request, f"{exc.message}（{exc.code}）")
            status = 429
    q = form["q"].value() or ""
    # A full ID or account number typed in is not shown back (screens show masked values only).
    shown = "" if sum(c.isdigit() for c in q) >= 8 and "*" not in q else q
    return render(request, "registry/search.html", {"form": form, "rows": rows, "how": how, "shown_q": shown,
                                                    "searched": request.method == "POST" and status == 200},
                  status=status)


def person(request, person_id: int):
    if not request.user.has_role(*VIEW_ROLES):
        raise Forbidden()
    detail = selectors.person_detail(request.user, person_id)
    if detail is None:
        raise Http404("没有这个人员，或不在您的辖区")
    form = LifeEventForm(villages=selectors.villages_for(request.user)) if detail.can_maintain else None
    follow = CardFollowUpForm() if request.user.has_role(*CARD_FOLLOWUP_ROLES) else None
    return render(request, "registry/person.html", {"d": detail, "p": detail.person, "event_form": form,
                                                    "card": card_status(detail.person), "followup_form": follow})


@require_POST
def reveal(request, person_id: int, field: str):
    if not request.user.has_role(*REVEAL_ROLES):
        raise Forbidden()
    try:
        account = int(request.POST.get("account") or 0) or None
        value = services.person_field_reveal(actor=request.user, person_id=person_id, field=field, account_id=account)
    except (PermissionDenied, ValidationError, ValueError):
        raise Http404("没有这个人员，或不在您的辖区")
    return render(request, "registry/_revealed.html", {"value": value})


@require_POST
def life_event(request, person_id: int):
    if not request.user.has_role(*MAINTAIN_ROLES):
        raise Forbidden()
    if not selectors.persons_for(request.user).filter(pk=person_id).exists():
        raise Http404("没有这个人员，或不在您的辖区")
    form = LifeEventForm(request.POST, villages=selectors.villages_for(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.life_event_record(
                actor=request.user, person_id=person_id, kind=data["kind"], effective_date=data["effective_date"],
                source=data["source"], village_code=data["village"], account_no=data["account_no"],
                account_kind=data["account_kind"], bank=data["bank"], account_status=data["account_status"],
            )
            messages.success(request, "已登记变动，底册已更新，历史记录已保留")
        except ValidationError as exc:
            report_refusal(request, exc)  # the message, tagged with its code (data-code)
    else:
        messages.error(request, "；".join(f"{form.fields[k].label}：{'、'.join(v)}" for k, v in form.errors.items()))
    return redirect("registry_person", person_id=person_id)
