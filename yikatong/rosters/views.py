"""Batch pages: list, create, detail (timeline, items, actions), import, notice, attachments."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yikatong.core import uploads
from yikatong.core.downloads import download_response
from yikatong.core.profiles import get_profile
from yikatong.core.refusals import Forbidden, invalid
from yikatong.regions.models import Region
from yikatong.web.actions import perform, refusal_code, refusal_text, report_refusal

from . import flows, notices, selectors, services, transitions
from .errors import RosterError
from .attachment_policy import require_upload
from .forms import (AssemblyForm, AttachmentForm, BatchCreateForm, ImportForm, NoticeForm, ObjectionForm,
                    PostPaymentNoticeForm)
from .importer.run import EDITABLE_STATES
from .guards import notice_entered_on
from .models import BatchState, ImportRun, Objection

FAILURES = (RosterError, PermissionDenied, ValidationError, uploads.UploadRefused)


def _on_batch_page(request, batch, call, success=None, prefix: str = ""):
    """Run one service for the batch page and report there: every refusal, a scope refusal too, is a
    message on the batch page (its actions list shows what the user may do)."""
    return perform(request, call, success, reverse("batch_detail", args=[batch.pk]), prefix=prefix,
                   flash_denied=True)


def _batch(request, batch_id):
    return get_object_or_404(selectors.batches_for(request.user), pk=batch_id)


def _create_choices(user):
    from yikatong.policies.selectors import payable_policies
    from django.utils import timezone

    region = user.region
    if region is None:
        return [], []
    policies = payable_policies(region.code, timezone.localdate().year)
    towns = [region] if region.level == 4 else list(Region.objects.filter(parent=region, level=4)) if region.level == 3 else []
    return [(p.pk, f"{p.code} {p.name}") for p in policies], [(t.code, t.name) for t in towns]


def batch_list(request):
    f = {k: request.GET.get(k, "").strip() for k in ("policy", "period", "region", "state")}
    batches = selectors.filtered(request.user, **f)[:200]
    from .county import may_split
    from .views_county import county_form

    county = county_form(request.user) if may_split(request.user) else None  # the county-wide roster upload
    return render(request, "rosters/list.html", {"batches": batches, "f": f, "states": flows.STATES.values(),
                                                 "county_form": county})


def batch_create(request):
    policy_choices, region_choices = _create_choices(request.user)
    form = BatchCreateForm(request.POST or None)
    form.fields["policy"].choices = policy_choices
    form.fields["region"].choices = region_choices
    if request.method == "POST" and form.is_valid():
        from yikatong.policies.models import Policy

        try:
            batch = services.batch_create(
                actor=request.user, policy=Policy.objects.get(pk=form.cleaned_data["policy"]),
                period=form.cleaned_data["period"].strip(), region=Region.objects.get(code=form.cleaned_data["region"]),
            )
        except FAILURES as exc:
            form.add_error(None, refusal_text(exc))
            form.refusal_code = refusal_code(exc)  # shown as data-code
        else:
            messages.success(request, f"已新建批次 {batch.code}，请下载模板填写后导入。")
            return redirect("batch_detail", batch_id=batch.pk)
    return render(request, "rosters/create.html", {"form": form})


def batch_detail(request, batch_id: int):
    batch = _batch(request, batch_id)
    items = batch.items.select_related("village").order_by("seq")
    last_import = batch.imports.first()
    notice = batch.notices.order_by("-start").first()
    all_notices = list(batch.notices.order_by("-recorded_at"))
    ctx = {
        "batch": batch, "items": items[:500], "item_more": max(0, items.count() - 500),
        "state_label": flows.state_label(batch.state), "events": batch.events.select_related("actor"),
        "actions": transitions.actions_for(request.user, batch), "editable": batch.state in EDITABLE_STATES,
        "last_import": last_import, "notice": notice, "notices": all_notices,
        "notice_entered": notice_entered_on(batch) if batch.state == BatchState.NOTICE else None,
        "notice_min_days": get_profile(batch.profile_code).notice_min_working_days,
        "assembly_required": get_profile(batch.profile_code).notice_read_at_assembly,
        "post_notice_open": batch.state in notices.PAID_STATES
        and not any(n.level == "post_payment" for n in all_notices),
        "post_notice_min_days": get_profile(batch.profile_code).post_payment_notice_working_days or 1,
        "objections": Objection.objects.filter(notice__batch=batch).order_by("recorded_at"), "attachments": batch.attachments.defer("content_enc"),
        "import_form": ImportForm(), "notice_form": NoticeForm(), "objection_form": ObjectionForm(),
        "attachment_form": AttachmentForm(actor=request.user, batch=batch), "manual_fields": list(enumerate(MANUAL_FIELDS)),
        "edit_fields": list(enumerate(EDIT_FIELDS)),
        "payee_fixable": batch.state in ("approved", "paying") and request.user.has_role("township_operator"),
        "findings": _findings(request.user, batch),
    }
    return render(request, "rosters/detail.html", ctx)


def _findings(user, batch):
    """The batch's cross-check findings (疑点) other than those whose cause is gone."""
    from . import hooks

    findings = hooks.findings_for(user, batch_id=batch.pk)  # filled by checks (checks.selectors.findings_for)
    if findings is None:
        return None
    return list(findings.exclude(state="closed").order_by("state", "severity", "pk")[:200])


@require_POST
def batch_transition(request, batch_id: int, action: str):
    batch = _batch(request, batch_id)
    return _on_batch_page(
        request, batch,
        lambda: transitions.batch_transition(actor=request.user, batch_id=batch.pk, action=action,
                                  reason=request.POST.get("reason", "")),
        lambda _: f"已办理：{flows.state_label(batch.state)} → {flows.state_label(type(batch).objects.get(pk=batch.pk).state)}")


@require_POST
def batch_import(request, batch_id: int):
    batch = _batch(request, batch_id)
    form = ImportForm(request.POST, request.FILES)
    try:
        uploads.refuse_oversized(request, "file", "roster")
    except uploads.UploadRefused as exc:
        uploads.flash(request, exc)
        return redirect("batch_detail", batch_id=batch.pk)
    if not form.is_valid():
        report_refusal(request, invalid("ROSTER_IMPORT_FILE_REQUIRED"))
        return redirect("batch_detail", batch_id=batch.pk)
    upload = form.cleaned_data["file"]
    if not request.user.has_role("township_operator", "township_finance"):
        raise PermissionDenied
    try:
        run = services.roster_import_start(actor=request.user, batch_id=batch.pk, data=uploads.read(request, upload, "roster"),
                                    filename=upload.name, mode=form.cleaned_data["mode"],
                                    confirm_standard=form.cleaned_data["confirm_standard"])
    except uploads.UploadRefused as exc:
        uploads.flash(request, exc)
        return redirect("batch_detail", batch_id=batch.pk)
    except FAILURES as exc:
        report_refusal(request, exc)
        return redirect("batch_detail", batch_id=batch.pk)
    return redirect("import_result", run_id=run.pk)


def import_result(request, run_id: int):
    run = get_object_or_404(ImportRun.objects.filter(batch__in=selectors.batches_for(request.user)), pk=run_id)
    level = request.GET.get("level", "")
    problems = ([p for p in selectors.import_problems_for(request.user, run) if not level or p["level"] == level]
                if run.processed_at else [])
    return render(request, "rosters/import_result.html", {"run": run, "problems": problems[:2000], "level": level,
                                                          "more": max(0, len(problems) - 2000)})


def import_problems_xlsx(request, run_id: int):
    from yikatong.core.xlsx import write_xlsx

    run = get_object_or_404(ImportRun.objects.filter(batch__in=selectors.batches_for(request.user)), pk=run_id)
    rows = [[p["line"] or "", p["column"], p["value"], "错误" if p["level"] == "error" else "提示", p["message"]]
            for p in selectors.import_problems_for(request.user, run)]
    data = write_xlsx(["行号", "列", "填写内容", "类型", "说明"], rows, title=f"{run.filename} 校验结果", text_columns=[2])
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="import-{run.pk}-problems.xlsx"'
    return resp


@require_POST
def item_remove(request, batch_id: int, item_id: int):
    batch = _batch(request, batch_id)
    return _on_batch_page(request, batch, lambda: services.item_remove(
        actor=request.user, batch_id=batch.pk, item_id=item_id, reason=request.POST.get("reason", "")))


@require_POST
def notice_record(request, batch_id: int):
    batch = _batch(request, batch_id)
    form = NoticeForm(request.POST, request.FILES)
    try:
        uploads.refuse_oversized(request, "proof", "attachment")
    except uploads.UploadRefused as exc:
        uploads.flash(request, exc)
        return redirect("batch_detail", batch_id=batch.pk)
    if not form.is_valid():
        report_refusal(request, invalid("NOTICE_FORM_INCOMPLETE", problems="；".join(
            f"{form.fields[k].label}{v[0]}" for k, v in form.errors.items())))
        return redirect("batch_detail", batch_id=batch.pk)
    d = form.cleaned_data
    proof = d.get("proof")
    return _on_batch_page(request, batch, lambda: notices.notice_record_with_proof(
        actor=request.user, batch_id=batch.pk, proof_name=proof.name if proof else "",
        proof_data=uploads.read(request, proof, "attachment") if proof else None, level=d["level"],
        start=d["start"], working_days=d["working_days"], place=d["place"], phone=d["phone"],
        read_at_assembly=d["read_at_assembly"], assembly_on=d.get("assembly_on"),
        assembly_place=d.get("assembly_place") or "", assembly_attendees=d.get("assembly_attendees")), "公示情况已登记。")


def _form_or_refuse(form, code: str):
    if not form.is_valid():
        raise invalid(code, problems="；".join(f"{form.fields[k].label}{v[0]}" for k, v in form.errors.items()))
    return form.cleaned_data


@require_POST
def notice_assembly_record(request, batch_id: int, notice_id: int):
    """The reading of a notice at the villagers' assembly (宣读: date, place, attendees)."""
    batch = _batch(request, batch_id)

    def call():
        d = _form_or_refuse(AssemblyForm(request.POST), "NOTICE_FORM_INCOMPLETE")
        return notices.notice_assembly_record(actor=request.user, batch_id=batch.pk, notice_id=notice_id,
                                               assembly_on=d["assembly_on"], assembly_place=d["assembly_place"],
                                               assembly_attendees=d["assembly_attendees"])

    return _on_batch_page(request, batch, call, "群众大会宣读情况已登记。")


@require_POST
def post_payment_notice_record(request, batch_id: int):
    """发放后公示, after the bank's answer, at least the profile's working days."""
    batch = _batch(request, batch_id)

    def call():
        d = _form_or_refuse(PostPaymentNoticeForm(request.POST), "NOTICE_FORM_INCOMPLETE")
        return notices.post_payment_notice_record(actor=request.user, batch_id=batch.pk, start=d["start"],
                                                   working_days=d["working_days"], place=d["place"], phone=d["phone"])

    return _on_batch_page(request, batch, call, "发放后公示已登记。")


@require_POST
def objection_record(request, batch_id: int):
    batch = _batch(request, batch_id)
    form = ObjectionForm(request.POST)

    def call():
        if not form.is_valid():
            raise invalid("OBJECTION_CONTENT_REQUIRED")
        return notices.objection_record(actor=request.user, batch_id=batch.pk, **form.cleaned_data)

    return _on_batch_page(request, batch, call)


@require_POST
def objection_resolve(request, batch_id: int, objection_id: int):
    batch = _batch(request, batch_id)

    def call():
        if not batch.notices.filter(objections__pk=objection_id).exists():
            raise Forbidden("OBJECTION_NOT_OF_BATCH")
        return notices.objection_resolve(actor=request.user, objection_id=objection_id,
                                          resolution=request.POST.get("resolution", ""))

    return _on_batch_page(request, batch, call)


@require_POST
def attachment_add(request, batch_id: int):
    batch = _batch(request, batch_id)

    def call():
        # the policy answers first, with its code, whatever the form holds (a kind not offered is refused too)
        require_upload(request.user, batch, request.POST.get("kind", ""))
        uploads.refuse_oversized(request, "file", "attachment")
        form = AttachmentForm(request.POST, request.FILES, actor=request.user, batch=batch)
        if not form.is_valid():
            raise invalid("ATTACHMENT_FORM_INCOMPLETE")
        f = form.cleaned_data["file"]
        return services.attachment_add(actor=request.user, batch_id=batch.pk, kind=form.cleaned_data["kind"],
                                       filename=f.name, data=uploads.read(request, f, "attachment"))

    return _on_batch_page(request, batch, call, "材料已上传。")


def attachment_download(request, batch_id: int, attachment_id: int):
    """An attachment of a batch the user sees (rosters.scope); 404 for anyone else, and for an id of
    another batch — never 403, which would tell that it exists. Decrypted here, sent as a download."""
    batch = _batch(request, batch_id)
    att = get_object_or_404(batch.attachments.all(), pk=attachment_id)
    return download_response(att.data(), filename=att.filename, content_type=att.content_type)


MANUAL_FIELDS = ["姓名", "身份证号码", "村(社区)", "联系电话", "银行账号", "补贴数量", "发放金额(元)", "备注"]


@require_POST
def item_add(request, batch_id: int):
    batch = _batch(request, batch_id)
    values = {name: request.POST.get(f"f{i}", "") for i, name in enumerate(MANUAL_FIELDS)}
    return _on_batch_page(request, batch, lambda: services.item_add(actor=request.user, batch_id=batch.pk, values=values),
                          lambda item: f"已添加第 {item.seq} 条：{item.name}", prefix="未添加：")


EDIT_FIELDS = ["银行账号", "账户户名", "开户银行", "发放金额(元)"]


def _item_by_seq(batch, request):
    seq = request.POST.get("seq", "").strip()
    item = batch.items.filter(seq=int(seq), status="active").first() if seq.isdigit() else None
    if item is None:
        raise invalid("ITEM_EDIT_SEQ_INVALID")
    return item


@require_POST
def item_edit(request, batch_id: int):
    """更正明细 of a draft (a reissue's too): account, holder, bank, amount; one service call."""
    batch = _batch(request, batch_id)
    values = {name: request.POST.get(f"e{i}", "") for i, name in enumerate(EDIT_FIELDS)}
    return _on_batch_page(request, batch, lambda: services.item_edit(
        actor=request.user, batch_id=batch.pk, item_id=_item_by_seq(batch, request).pk, values=values,
        reason=request.POST.get("reason", "")), lambda item: f"已更正第 {item.seq} 条：{item.name}", prefix="未更正：")


def profile_view(request):
    """The deployment's local profile (settings YKT_PROFILE) and its transition table."""
    from dataclasses import fields

    from yikatong.core.profiles import PROFILES, current_profile

    profile = current_profile()
    params = [(f.name, getattr(profile, f.name)) for f in fields(profile) if f.name not in ("change_request_chain",)]
    table = [(flows.state_label(t.source), t.label, flows.state_label(t.target), "、".join(sorted(t.roles)), "、".join(t.guards))
             for t in flows.transitions_for(profile)]
    return render(request, "rosters/profile.html", {"profile": profile, "params": params, "table": table,
                                                     "profiles": PROFILES.values()})
