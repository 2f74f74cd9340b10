"""Application pages: list (scoped, by state), new application (village clerk), detail with the
actions the user may take (village review with 民主评议, township verification, approval, refusal with
a reason), and the batch page's "pull approved applications" button. Thin: services do the work."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikatong.core.refusals import Refusal, code_of
from yikatong.regions.models import Region
from yikatong.web.actions import perform, refusal_text

from . import pull, selectors, services, transitions
from .forms import ApplicationForm, ReviewForm
from .models import State


def application_list(request):
    f = {k: request.GET.get(k, "").strip() for k in ("state", "policy")}
    apps = selectors.filtered(request.user, **f)[:200]
    return render(request, "applications/list.html", {"applications": apps, "f": f, "states": State.choices,
                                                      "may_submit": request.user.has_role("village_clerk")})


def _choices(user):
    from yikatong.policies.choices import Intake
    from yikatong.policies.selectors import payable_policies

    region = user.region
    if region is None:
        return [], []
    policies = payable_policies(region.code, timezone.localdate().year).filter(intake=Intake.APPLICATION)
    villages = Region.objects.filter(level=5, code__startswith=region.prefix).order_by("code") if region.level >= 3 \
        else Region.objects.none()
    return [(p.pk, f"{p.code} {p.name}") for p in policies], [(v.code, v.name) for v in villages[:500]]


def application_create(request):
    policies, villages = _choices(request.user)
    form = ApplicationForm(request.POST or None, policies=policies, villages=villages)
    if request.method == "POST" and form.is_valid():
        from yikatong.policies.models import Policy

        d = form.cleaned_data
        try:
            app = services.application_submit(
                actor=request.user, policy=Policy.objects.get(pk=d["policy"]), year=d["year"],
                village=Region.objects.get(code=d["village"]), name=d["name"], id_number=d["id_number"],
                phone=d["phone"], bank_name=d["bank_name"], account_no=d["account_no"], amount_fen=d["amount_yuan"])
        except (Refusal, ValidationError) as exc:
            form.add_error(None, refusal_text(exc))
            form.refusal_code = code_of(exc)
        else:
            messages.success(request, f"已受理申请 {app.pk}（{app.name}）")
            return redirect("application_detail", application_id=app.pk)
    return render(request, "applications/create.html", {"form": form})


def application_detail(request, application_id: int):
    app = services.visible(request.user, application_id)
    actions = transitions.actions_for(request.user, app)
    review = getattr(app, "review", None) if hasattr(app, "review") else None
    return render(request, "applications/detail.html", {
        "app": app, "state_label": transitions.state_label(app.state), "actions": actions, "review": review,
        "events": app.events.select_related("actor"), "review_form": ReviewForm(initial={"held_on": timezone.localdate()}),
        "overdue": bool(app.due_date and app.due_date < timezone.localdate()),
    })


def _back(app_id):
    return reverse("application_detail", args=[app_id])


@require_POST
def application_village_review(request, application_id: int):
    app = services.visible(request.user, application_id)
    review = None
    if request.POST.get("held_on"):
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, "民主评议情况填写不完整：" + "；".join(
                f"{form.fields[k].label}{'、'.join(v)}" for k, v in form.errors.items()))
            return redirect(_back(app.pk))
        review = form.cleaned_data
    return perform(request, lambda: services.application_village_review(actor=request.user, application_id=app.pk, review=review),
                   "村审核通过，已报乡镇审核", _back(app.pk), flash_denied=True)


@require_POST
def application_transition(request, application_id: int, action: str):
    app = services.visible(request.user, application_id)
    return perform(request, lambda: services.application_perform(actor=request.user, application_id=app.pk, action=action,
                                                     reason=request.POST.get("reason", "")),
                   lambda a: f"已办理，当前状态：{transitions.state_label(a.state)}" if a else "", _back(app.pk),
                   flash_denied=True)


@require_POST
def application_pull(request, batch_id: int):
    from yikatong.rosters.selectors import batches_for

    batch = get_object_or_404(batches_for(request.user), pk=batch_id)

    def done(result):
        text = f"已将 {len(result.added)} 份已审批的申请纳入本批次"
        if result.skipped:
            text += "；未纳入：" + "；".join(f"申请{s['application']} {s['message']}" for s in result.skipped)
        return text

    return perform(request, lambda: pull.pull_approved(batch, request.user), done,
                   reverse("batch_detail", args=[batch.pk]), flash_denied=True)
