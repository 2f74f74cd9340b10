"""Writes on batches: create, manual items, attachments. Notices and objections: notices.py. State
changes go through transitions.batch_transition; imports through importer.run.roster_import."""
from django.db import IntegrityError, transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core.profiles import current_profile
from yikatong.core.refusals import invalid

from . import scope
from .errors import RosterError
from .importer.run import EDITABLE_STATES, roster_import_stage
from .models import Attachment, Batch, BatchEvent, BatchState, ImportRun



def _require(actor, roles, batch: Batch, what: str) -> None:
    """Role and scope through the batch (rosters.scope): region AND department / station / township."""
    scope.require_change(actor, batch, roles, what)


def reviewing_department(policy, region):
    """The county line department that reviews the batch: the policy's own department when it is
    a county policy, else the county department of the policy's line (业务条线)."""
    from yikatong.accounts.models import Organization, OrgKind

    county_code = region.code[:6].ljust(12, "0")
    if policy.department.region_id == county_code:
        return policy.department
    dept = Organization.objects.filter(kind=OrgKind.LINE_DEPARTMENT, region_id=county_code, line=policy.line).first()
    if dept is None:
        raise invalid("NO_REVIEWING_DEPARTMENT", line=policy.get_line_display())
    return dept


def batch_create(*, actor, policy, period: str, region) -> Batch:
    """A new draft batch for a township (or, for department-disbursed policies, the county)."""
    from yikatong.policies.services.payable import assert_payable
    from yikatong.policies.standard import check_period

    roles = {Role.TOWNSHIP_OPERATOR, Role.DEPT_REVIEWER}
    if actor is None or not actor.is_authenticated or not actor.has_role(*roles):
        raise scope.ScopeRefused("ROLE_NOT_ALLOWED", what="新建发放批次")
    if not region_in_scope(actor, region.code):
        raise scope.ScopeRefused("NOT_IN_REGION", batch=region.name, what="新建发放批次")
    check_period(policy, period)
    assert_payable(policy, region_code=region.code, period=period)
    profile = current_profile()
    department = reviewing_department(policy, region)
    if not actor.has_role(Role.TOWNSHIP_OPERATOR) and actor.organization_id != department.pk:
        # a department creates batches only of the policies it reviews
        raise scope.ScopeRefused("NOT_OWNING_DEPARTMENT", batch=f"{policy.name}（{region.name}）",
                                 department=department.name, what="新建发放批次")
    for attempt in range(1, 50):
        code = f"{region.code[:9]}-{period.replace('-', '')}-{policy.code}-{attempt:02d}"
        if Batch.objects.filter(code=code).exists():
            continue
        try:
            with transaction.atomic():
                batch = Batch.objects.create(
                    code=code, policy=policy, period=period, region=region, department=department,
                    profile_code=profile.code, state=BatchState.DRAFT, state_since=timezone.now(), created_by=actor,
                )
                BatchEvent.objects.create(batch=batch, action="create", label="新建批次", to_state="draft", actor=actor)
                record(actor=actor, action="rosters.create", obj=batch,
                       after={"policy": policy.code, "period": period, "region": region.code, "profile": profile.code})
                return batch
        except IntegrityError:
            continue
    raise RosterError("BATCH_CODE_EXHAUSTED")


def _lock_editable(batch_id: int, actor, roles, what: str) -> Batch:
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    _require(actor, roles, batch, what)
    if batch.state not in EDITABLE_STATES:
        raise RosterError("BATCH_SUBMITTED_NO_EDIT", batch=batch.code)
    return batch


@transaction.atomic
def item_remove(*, actor, batch_id: int, item_id: int, reason: str) -> None:
    """Take an item out of a draft (kept, marked removed, with the reason)."""
    batch = _lock_editable(batch_id, actor, {Role.TOWNSHIP_OPERATOR}, "修改明细")
    if not reason.strip():
        raise RosterError("ITEM_REMOVE_REASON")
    item = batch.items.select_for_update().get(pk=item_id)
    if item.status == "removed":
        return
    item.status, item.removed_reason = "removed", reason.strip()[:200]
    item.save(update_fields=["status", "removed_reason"])
    _refresh_totals(batch)
    record(actor=actor, action="rosters.item_remove", obj=item, object_repr=f"{batch.code} 第{item.seq}条",
           after={"reason": item.removed_reason})


def _refresh_totals(batch: Batch) -> None:
    from django.db.models import Count, Sum

    agg = batch.items.filter(status="active").aggregate(n=Count("id"), s=Sum("amount_fen"))
    Batch.objects.filter(pk=batch.pk).update(item_count=agg["n"] or 0, total_fen=agg["s"] or 0)


@transaction.atomic
def roster_import_start(*, actor, batch_id: int, data: bytes, filename: str, mode: str,
                 confirm_standard: bool = False) -> ImportRun:
    """The import page's one action: keep the file (roster_import_stage) and queue its checking as a job,
    in one transaction (the job is sent once it commits)."""
    from yikatong.jobs import services as job_services

    run = roster_import_stage(actor=actor, batch_id=batch_id, data=data, filename=filename, mode=mode,
                       confirm_standard=confirm_standard)
    run.job = job_services.enqueue(actor=actor, kind="yikatong.rosters.tasks.import_job", title=f"导入清册 {filename}",
                                   key=f"rosters.import:{run.pk}", params={"run_id": run.pk})
    run.save(update_fields=["job"])
    return run


@transaction.atomic
def attachment_add(*, actor, batch_id: int, kind: str, filename: str, data: bytes) -> Attachment:
    """Store a PDF/JPEG/PNG (type read from the bytes) sealed at rest with its SHA-256. Who may add
    which kind in which batch state: rosters.attachment_policy (ATTACHMENT_* and scope codes)."""
    from yikatong.core import downloads
    from yikatong.core import sealed

    from .attachment_policy import max_bytes, require_upload
    from .models.attachment import ATTACHMENT_PURPOSE

    batch = Batch.objects.select_for_update().get(pk=batch_id)
    require_upload(actor, batch, kind)
    data = bytes(data)
    name = downloads.safe_filename(filename, default="附件")
    limit = max_bytes()
    if not data:
        raise RosterError("ATTACHMENT_EMPTY", filename=name)
    if len(data) > limit:
        raise RosterError("ATTACHMENT_TOO_LARGE", filename=name, limit=f"{limit / 1024 / 1024:.0f}MB")
    ctype = downloads.sniff(data)
    if ctype is None:
        raise RosterError("ATTACHMENT_TYPE", filename=name)
    box = sealed.seal(data, purpose=ATTACHMENT_PURPOSE)
    att = Attachment.objects.create(batch=batch, kind=kind, filename=downloads.safe_filename(name, content_type=ctype),
                                    content_type=ctype, size=box.size, sha256=box.sha256, content_enc=box.blob,
                                    uploaded_by=actor)
    record(actor=actor, action="rosters.attachment_add", obj=batch,
           after={"kind": kind, "filename": att.filename, "sha256": box.sha256, "size": box.size})
    return att


@transaction.atomic
def item_add(*, actor, batch_id: int, values: dict[str, str]) -> "BatchItem":
    """Manual entry of one item, validated exactly like an imported row (same messages)."""
    from yikatong.core.sheets import SheetRow
    from yikatong.registry.villages import VillageResolver

    from .importer.run import attach_comparison, item_values
    from .importer.rows import RowValidator
    from .importer.reissue_items import refuse_new_items
    from .importer.standard import standard_function
    from .models import BatchItem

    batch = _lock_editable(batch_id, actor, {Role.TOWNSHIP_OPERATOR}, "录入明细")
    refuse_new_items(batch, what="录入")
    validator = RowValidator(resolver=VillageResolver(batch.region),
                             township_text=batch.region.name if batch.region.level == 4 else "",
                             standard_fen_for=standard_function(batch.policy))
    seq = (batch.items.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    draft, problems = validator.validate(SheetRow(line=seq, values={k: (v or "").strip() for k, v in values.items()}))
    if draft is None:
        errors = [p for p in problems if p.level == "error"]
        coded = next((p for p in errors if p.code), None)
        if coded is not None:  # e.g. PAYEE_DELIMITER: a refusal with a stable code, naming the column
            raise RosterError(coded.code, "；".join(p.message for p in errors))
        raise invalid("ITEM_ROW_INVALID", problems="；".join(p.message for p in errors))
    if batch.items.filter(status="active", id_bidx=_vault().id_index(draft.id_number)).exists():
        raise invalid("ITEM_DUPLICATE_IN_BATCH", name=draft.name)
    attach_comparison(batch, [draft])
    item = BatchItem.objects.create(**{**item_values(batch, seq, draft), "source_row": None})
    _refresh_totals(batch)
    record(actor=actor, action="rosters.item_add", obj=item, object_repr=f"{batch.code} 第{seq}条",
           after={"name": item.name, "id_number": draft.id_number, "amount_fen": item.amount_fen})
    return item


def _vault():
    from yikatong.core.crypto import vault

    return vault()


# The fields an item's correction may change (canonical roster column -> what it sets). Name and ID
# number are not among them: a different person is a removed item and a new one (never in a reissue).
EDITABLE_COLUMNS = ("银行账号", "账户户名", "开户银行", "发放金额(元)")


@transaction.atomic
def item_edit(*, actor, batch_id: int, item_id: int, values: dict[str, str], reason: str) -> "BatchItem":
    """Correct an item of a draft: account, holder name, bank, amount (元). Checked like an imported
    row (PAYEE_* codes for data a bank file cannot carry); in a reissue batch the amount may not exceed
    the failed line it reissues (REISSUE_AMOUNT_ABOVE_ORIGIN). One audit event, accounts masked."""
    from yikatong.core.masking import mask_card
    from yikatong.core.money import Money, MoneyError
    from yikatong.registry.compare import CompareRow, compare_rows
    from yikatong.core.identifiers import IdentifierError, validate_account_number

    from .importer import spec as S
    from .importer.flags import account_valid
    from .importer.payee import first_refusal

    batch = _lock_editable(batch_id, actor, {Role.TOWNSHIP_OPERATOR}, "修改明细")
    reason = (reason or "").strip()
    if not reason:
        raise RosterError("ITEM_EDIT_REASON")
    values = {k: (v or "").strip() for k, v in values.items() if (v or "").strip()}
    unknown = sorted(set(values) - set(EDITABLE_COLUMNS))
    if unknown:
        raise RosterError("ITEM_EDIT_FIELD", field="、".join(unknown))
    if not values:
        raise RosterError("ITEM_EDIT_EMPTY")
    item = batch.items.select_for_update().get(pk=item_id)
    if item.status != "active":
        raise RosterError("ITEM_NOT_ACTIVE", seq=item.seq)
    where = f"第{item.seq}条 "
    refusal = first_refusal(values, where=where)
    if refusal:
        raise RosterError(*refusal)
    v = _vault()
    fields = {}
    if S.ACCOUNT in values:
        try:
            account = validate_account_number(values[S.ACCOUNT], card=not item.is_org)
        except IdentifierError:  # its message quotes the number: not repeated here
            raise RosterError("ITEM_ACCOUNT_INVALID", where=where, problem="应为 8–32 位数字" if item.is_org
                              else "不是有效的银行卡号（16–19 位数字，校验位正确）") from None
        fields.update(account_enc=v.encrypt(account), account_bidx=v.index(account), account_masked=mask_card(account),
                      account_valid=account_valid(account, is_org=item.is_org))
        # the register comparison depends on the account (holder, shared card): taken again
        [result] = compare_rows([CompareRow(item.name, v.decrypt(item.id_enc), account, item.village_id or "", item.seq)],
                                township_code=batch.region_id if batch.region.level == 4 else None,
                                scope_prefix=batch.region_id[:6])  # the batch's county only
        fields.update(compare=[{"code": f.code, "message": f.message} for f in result.statuses],
                      person_id=result.person_id)
    if S.HOLDER in values:
        fields["account_holder"] = values[S.HOLDER]
    if S.BANK in values:
        fields["bank_name"] = values[S.BANK][:60]
    if S.AMOUNT in values:
        try:
            amount = Money.parse(values[S.AMOUNT]).fen
        except MoneyError as exc:
            raise RosterError("ITEM_AMOUNT_INVALID", where=where, problem=str(exc)) from None
        if amount <= 0:
            raise RosterError("ITEM_AMOUNT_INVALID", where=where, problem="必须大于0")
        link = getattr(item, "reissue_of", None) if batch.kind == "reissue" else None
        if link is not None and amount > link.source.amount_fen:
            raise RosterError("REISSUE_AMOUNT_ABOVE_ORIGIN", batch=batch.code, count=1,
                              items=f"第{item.seq}条{item.name}（{Money.from_fen(amount)}，原明细 "
                                    f"{link.source.item_ref} {Money.from_fen(link.source.amount_fen)}）")
        fields["amount_fen"] = amount
    shown = ("account_masked", "account_holder", "bank_name", "amount_fen")
    before = {f: getattr(item, f) for f in shown}
    for name, value in fields.items():
        setattr(item, name, value)
    item.save(update_fields=list(fields))
    if batch.kind == "reissue" and hasattr(item, "reissue_of"):  # the payments app's Reissue link
        names = {"account_enc": "account", "account_holder": "account_holder", "bank_name": "bank_name",
                 "amount_fen": "amount_fen"}
        corrected = sorted(set(item.reissue_of.corrected) | {names[f] for f in fields if f in names})
        type(item.reissue_of).objects.filter(pk=item.reissue_of.pk).update(corrected=corrected)
    _refresh_totals(batch)
    record(actor=actor, action="rosters.item_edit", obj=item, object_repr=f"{batch.code} 第{item.seq}条",
           before=before, after={**{f: getattr(item, f) for f in shown}, "reason": reason[:200]})
    return item

