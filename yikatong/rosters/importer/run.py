"""Import a roster file into a draft batch: all rows validated and compared, then either the
valid rows or nothing are written, atomically, replacing the draft's items."""
import hashlib
import json
import logging
import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core.crypto import vault
from yikatong.core.failures import log_failure
from yikatong.core.masking import mask_card, mask_id_number, mask_phone
from yikatong.core.money import Money, MoneyError
from yikatong.core.sheets import SheetError, open_sheet
from yikatong.core.uploads import shown
from yikatong.registry.compare import CompareRow, compare_rows
from yikatong.registry.villages import VillageResolver

from ..errors import RosterError
from ..models import Batch, BatchItem, ImportMode, ImportRun
from . import spec as S
from .flags import account_valid, id_flags
from .reissue_items import refuse_new_items
from .rows import Problem, RowValidator
from .standard import above_catalogue, mismatch_message, standard_function, standard_mismatch

log = logging.getLogger(__name__)
EDITABLE_STATES = frozenset({"draft", "draft_verified"})
IMPORT_PURPOSE = b"roster-import"  # associated data of ImportRun.content_enc
_COUNT_IN_TEXT = re.compile(r"(\d+)\s*[人户条笔个]")


def store_problems(run: ImportRun, problems: list[dict]) -> None:
    run.problems_enc = vault().encrypt(json.dumps(problems, ensure_ascii=False)) if problems else ""


def load_problems(run: ImportRun) -> list[dict]:
    return json.loads(vault().decrypt(run.problems_enc)) if run.problems_enc else []


def _totals_problems(totals, drafts_amounts: list[int], data_rows: int) -> list[Problem]:
    if totals is None:
        return []
    out = []
    raw = totals.get(S.AMOUNT)
    if raw:
        try:
            stated = Money.parse(raw).fen
        except MoneyError:
            stated = None
        actual = sum(drafts_amounts)
        if stated is not None and stated != actual:
            out.append(Problem(totals.line, S.AMOUNT, raw,
                               f"合计行金额 {Money.from_fen(stated)} 与明细金额合计 {Money.from_fen(actual)} 不符"))
    for text in totals.values.values():
        m = _COUNT_IN_TEXT.search(text or "")
        if m and int(m.group(1)) != data_rows:
            out.append(Problem(totals.line, S.NAME, text, f"合计行人数 {m.group(1)} 与明细行数 {data_rows} 不符"))
            break
    return out


def parse_and_validate(batch: Batch, data: bytes, filename: str, progress=None, *, confirm_standard: bool = False):
    """Returns (drafts, problems, rows) without writing anything.

    A 标准 other than the catalogue's is one batch-level problem (STANDARD_MISMATCH, line 0, amounts
    in 元): an error that stops the import, or a warning when the operator confirmed it."""
    scope = batch.region
    resolver = VillageResolver(scope)
    validator = RowValidator(resolver=resolver, township_text=scope.name if scope.level == 4 else "",
                             standard_fen_for=standard_function(batch.policy))
    drafts, problems, amounts, seen = [], [], [], {}
    with open_sheet(data, S.COLUMNS, filename=filename) as sheet:
        rows = 0
        for row in sheet:
            rows += 1
            draft, row_problems = validator.validate(row)
            raw_amount = row.get(S.AMOUNT)
            try:
                amounts.append(Money.parse(raw_amount).fen if raw_amount else 0)
            except MoneyError:
                pass
            if draft is not None:
                first = seen.get(draft.id_number)
                if first is not None:
                    row_problems.append(Problem(row.line, S.ID, row.get(S.ID),
                                                f"身份证号码“{row.get(S.ID)}”与第{first}行重复，同一对象在本批次只能发放一次"))
                    draft = None
                else:
                    seen[draft.id_number] = row.line
            problems.extend(row_problems)
            if draft is not None:
                drafts.append(draft)
            if progress and rows % 1000 == 0:
                progress(rows, sheet.row_count_hint if hasattr(sheet, "row_count_hint") else None, "正在校验")
        totals = sheet.totals
    problems.extend(_totals_problems(totals, amounts, rows))
    mismatch = standard_mismatch(batch.policy, drafts)
    if mismatch is not None:
        if confirm_standard and above_catalogue(mismatch):
            confirm_standard = False  # not confirmable: one batch-level error, nothing imported
            code = "STANDARD_ABOVE_CATALOGUE"
        else:
            code = "STANDARD_CONFIRMED" if confirm_standard else "STANDARD_MISMATCH"
        implied = mismatch["implied_lines"]
        if implied:  # one message for the batch instead of one "amount ≠ standard × quantity" per row
            problems = [p for p in problems if not (p.code == "AMOUNT_NOT_STANDARD" and p.line in implied)]
            for d in drafts:
                if d.line in implied:
                    d.warnings = [w for w in d.warnings if w.get("code") != "AMOUNT_NOT_STANDARD"]
                    if confirm_standard:
                        d.standard_fen = d.implied_standard_fen  # the confirmed rate, per unit
        problems.insert(0, Problem(0, S.STANDARD, "", mismatch_message(code, mismatch),
                                   "warning" if confirm_standard else "error", code=code))
    if rows == 0:
        problems.append(Problem(0, "", "", "文件中没有数据行"))
    return drafts, problems, rows


def attach_comparison(batch: Batch, drafts) -> None:
    township = batch.region_id if batch.region.level == 4 else None
    results = compare_rows(
        [CompareRow(d.name, d.id_number, d.account_no, d.village_code, d.line) for d in drafts], township_code=township,
        scope_prefix=batch.region_id[:6],  # the batch's county: nothing of another county's register is told
    )
    for draft, res in zip(drafts, results):
        draft.compare = [{"code": f.code, "message": f.message} for f in res.statuses]
        draft.person_id = res.person_id
        for f in res.statuses:
            if f.code not in ("matched",):
                draft.warnings.append({"line": draft.line, "column": "复核比对", "value": "", "level": "warning",
                                       "message": f"第{draft.line}行 复核比对：{f.message}"})


ITEM_COLUMNS = (
    "batch_id", "seq", "source_row", "item_ref", "name", "id_enc", "id_bidx", "id_masked", "is_org", "person_id",
    "village_id", "household_no", "relation", "phone_enc", "phone_masked", "bank_name", "account_enc", "account_bidx",
    "account_masked", "account_holder", "quantity", "standard_fen", "amount_fen", "memo", "status", "removed_reason",
    "warnings", "compare", "id_valid", "account_valid", "birth_date", "phone_bidx",
)


def item_values(batch: Batch, seq: int, d, v=None) -> dict:
    """Column values of the item for draft `d` at position `seq` (ITEM_COLUMNS keys)."""
    v = v or vault()
    id_valid, birth_date = id_flags(d.id_number, is_org=d.is_org)
    return {
        "batch_id": batch.pk, "seq": seq, "source_row": d.line, "item_ref": f"{batch.code}-{seq:06d}", "name": d.name,
        "id_enc": v.encrypt(d.id_number), "id_bidx": v.id_index(d.id_number), "id_masked": mask_id_number(d.id_number),
        "is_org": d.is_org, "person_id": getattr(d, "person_id", None), "village_id": d.village_code or None,
        "household_no": d.household_no, "relation": d.relation, "phone_enc": v.encrypt(d.phone),
        "phone_masked": mask_phone(d.phone), "bank_name": d.bank_name, "account_enc": v.encrypt(d.account_no),
        "account_bidx": v.index(d.account_no), "account_masked": mask_card(d.account_no),
        "account_holder": d.account_holder, "quantity": d.quantity, "standard_fen": d.standard_fen,
        "amount_fen": d.amount_fen, "memo": d.memo, "status": "active", "removed_reason": "",
        "warnings": d.warnings, "compare": getattr(d, "compare", []),
        "id_valid": id_valid, "account_valid": account_valid(d.account_no, is_org=d.is_org), "birth_date": birth_date,
        "phone_bidx": v.index(d.phone),
    }


def _item_rows(batch: Batch, drafts):
    """Rows for COPY, in ITEM_COLUMNS order (database values: JSON as text, quantity as text)."""
    v = vault()
    for i, d in enumerate(drafts, start=1):
        values = item_values(batch, i, d, v)
        values["quantity"] = str(values["quantity"])
        values["warnings"] = json.dumps(values["warnings"], ensure_ascii=False)
        values["compare"] = json.dumps(values["compare"], ensure_ascii=False)
        yield tuple(values[c] for c in ITEM_COLUMNS)


def _persist(batch: Batch, drafts) -> None:
    """COPY (PostgreSQL) or executemany (SQLite) of new items: several times faster than the ORM."""
    from yikatong.core.bulk import copy_rows, lock_for_import

    lock_for_import(BatchItem)
    copy_rows(BatchItem, ITEM_COLUMNS, _item_rows(batch, drafts))


def roster_import_stage(*, actor, batch_id: int, data: bytes, filename: str, mode: str,
                 confirm_standard: bool = False) -> ImportRun:
    """Keep the uploaded file (encrypted) before the work starts; nothing else changes.

    `confirm_standard`: the operator confirms a 标准 other than the catalogue's is meant (recorded on
    the run and in the import's audit event)."""
    if mode not in ImportMode.values:
        raise RosterError("ROSTER_IMPORT_MODE_INVALID")
    from yikatong.accounts.roles import Role

    from .. import scope

    batch = Batch.objects.get(pk=batch_id)
    # the batch's own station (or its township finance office) only: rosters.scope
    scope.require_change(actor, batch, {Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_FINANCE}, "导入清册")
    refuse_new_items(batch, what="导入")
    if batch.state not in EDITABLE_STATES:
        raise RosterError("BATCH_SUBMITTED_NO_IMPORT", batch=batch.code)
    return ImportRun.objects.create(
        batch=batch, filename=filename[:200], sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        content_enc=vault().encrypt_bytes(data, purpose=IMPORT_PURPOSE), mode=mode, created_by=actor,
        message="排队等待校验", confirm_standard=bool(confirm_standard),
    )


def roster_import_process(*, run_id: int, progress=None) -> ImportRun:
    """Validate the staged file and import per its mode. Safe to run twice: a processed run is
    returned as it is. Whatever goes wrong, the run ends processed (never left "waiting"): an
    unexpected failure is logged under a reference id, the run is marked failed in a fresh
    transaction with a generic Chinese message, and Refusal IMPORT_FAILED is raised for the job."""
    try:
        return _process_import(run_id, progress)
    except Exception as exc:
        ref = log_failure(log, f"roster import run {run_id}", exc)
        _mark_failed(run_id, ref)
        raise RosterError("IMPORT_FAILED", ref=ref) from exc


def _mark_failed(run_id: int, ref: str) -> None:
    failure = RosterError("IMPORT_FAILED", ref=ref)
    problem = Problem(0, "", "", failure.message, code=failure.code)
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id, processed_at__isnull=True).first()
        if run is None:
            return
        store_problems(run, [problem.as_dict()])
        run.imported, run.accepted, run.error_count = False, 0, 1
        run.message = shown(failure)[:300]
        run.processed_at = timezone.now()
        run.save(update_fields=["problems_enc", "imported", "accepted", "error_count", "message", "processed_at"])
        record(actor=run.created_by, action="rosters.import_failed", obj=run.batch,
               after={"file": run.filename, "sha256": run.sha256, "code": failure.code, "ref": ref})


def _process_import(run_id: int, progress) -> ImportRun:
    run = ImportRun.objects.select_related("batch__region", "batch__policy", "created_by").get(pk=run_id)
    if run.processed_at is not None:
        return run
    batch, actor = run.batch, run.created_by
    data = vault().decrypt_bytes(bytes(run.content_enc), purpose=IMPORT_PURPOSE)
    file_error = None
    try:
        drafts, problems, rows = parse_and_validate(batch, data, run.filename, progress,
                                                    confirm_standard=run.confirm_standard)
    except SheetError as exc:  # the file as a whole: format, encoding, bomb, crashed parser ...
        file_error = exc
        drafts, problems, rows = [], [Problem(0, "", "", exc.message, code=exc.code)], 0
    if drafts:
        if progress:
            progress(rows, rows, "正在与底册复核比对")
        attach_comparison(batch, drafts)
    errors = [p for p in problems if p.level == "error"]
    standard_problem = next((p for p in problems if p.code in ("STANDARD_MISMATCH", "STANDARD_CONFIRMED", "STANDARD_ABOVE_CATALOGUE")), None)
    warnings = [p.as_dict() for p in problems if p.level == "warning"] + [
        w for d in drafts for w in d.warnings if w["column"] == "复核比对"]
    run.rows, run.error_count, run.warning_count = rows, len(errors), len(warnings)
    do_import = bool(drafts) and (not errors or run.mode == ImportMode.VALID_ONLY) and not any(p.line == 0 for p in errors)
    store_problems(run, [p.as_dict() for p in errors] + warnings)
    with transaction.atomic():
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        if ImportRun.objects.select_for_update().get(pk=run.pk).processed_at is not None:
            return ImportRun.objects.get(pk=run.pk)
        before = None
        if locked.kind == "reissue":
            do_import = False
            run.message = f"未导入：批次 {locked.code} 是补发批次，不能导入新的发放对象"
        elif locked.state not in EDITABLE_STATES:
            do_import = False
            run.message = f"未导入：批次 {locked.code} 已上报，不能再导入"
        elif do_import:
            before = {"items": locked.item_count, "total_fen": locked.total_fen}
            locked.items.all().delete()  # a draft's items are replaced; the file itself is kept in ImportRun
            _persist(locked, drafts)
            from yikatong.core.faults import fault_point  # crash tests: core/tests/test_faults.py
            fault_point("rosters.import.mid_write")
            total = sum(d.amount_fen for d in drafts)
            Batch.objects.filter(pk=locked.pk).update(item_count=len(drafts), total_fen=total)
            run.accepted, run.imported = len(drafts), True
            run.message = f"已导入 {len(drafts)} 行，合计 {Money.from_fen(total)}" + (
                f"；{len(errors)} 处错误所在行未导入" if errors else "")
        else:
            run.message = f"未导入：发现 {len(errors)} 处错误，请改正后重新导入" if errors else "未导入：文件中没有可导入的行"
            if standard_problem is not None and standard_problem.level == "error":
                run.message = "未导入：清册标准与政策目录标准不一致，请改正或确认后重新导入"
            if file_error is not None and file_error.code != SheetError.default_code:
                run.message = f"未导入：{shown(file_error)}"[:300]
        run.processed_at = timezone.now()
        run.save()
        after = {"file": run.filename, "sha256": run.sha256, "rows": rows, "imported": run.accepted,
                 "errors": run.error_count, "warnings": run.warning_count, "mode": run.mode,
                 "confirm_standard": run.confirm_standard}
        if standard_problem is not None:
            after["standard"] = {"code": standard_problem.code, "message": standard_problem.message}
        record(actor=actor, action="rosters.import", obj=locked, before=before, after=after)
    return run


def roster_import(*, actor, batch_id: int, data: bytes, filename: str, mode: str, progress=None,
                  confirm_standard: bool = False) -> ImportRun:
    """Stage and process in one go (tests, small files, the API)."""
    run = roster_import_stage(actor=actor, batch_id=batch_id, data=data, filename=filename, mode=mode,
                       confirm_standard=confirm_standard)
    return roster_import_process(run_id=run.pk, progress=progress)
