"""JSON API of the cross-checks (mounted at /api/checks/): findings in the actor's scope and their
disposition. Authentication by the NinjaAPI (session or bearer token); role and region checked.
A refusal reaches the API's handlers (web.errors.install_api_handlers) as it is raised: JSON
{"code", "message"} with 403 for a Forbidden, 400 for a coded ValidationError, 404 for FindingNotFound."""
from ninja import Router, Schema, Status

from yikatong.core.refusals import Forbidden

from . import selectors, services
from .errors import FindingNotFound

router = Router(tags=["大数据比对"])


class FindingOut(Schema):
    id: int
    rule: str
    rule_name: str
    severity: str
    state: str
    status: str  # the same as state (the name the batch API's callers use)
    batch: str | None
    batch_id: int | None
    item: int | None  # the batch item's id
    item_seq: int | None
    row: int | None  # the item's row number in the uploaded roster file (None: added by hand)
    message: str
    reason: str
    case_no: str | None = None  # the clue's case number once transferred (线索移送)


class DisposeIn(Schema):
    decision: str
    reason: str = ""
    evidence_text: str = ""  # files are uploaded through the workbench form


def _out(f) -> dict:
    return {"id": f.pk, "rule": f.rule.code, "rule_name": f.rule.name, "severity": f.severity, "state": f.state,
            "status": f.state, "batch": f.batch.code if f.batch_id else None, "batch_id": f.batch_id,
            "item": f.item_id, "item_seq": f.item.seq if f.item_id else None,
            "row": f.item.source_row if f.item_id else None,
            "message": f.message, "reason": f.reason, "case_no": _case_no(f)}


def _case_no(f) -> str | None:
    clue = getattr(f, "clue", None) if f.state == "transferred" else None  # reverse one-to-one of supervision.Clue
    return clue.case_no if clue else None


@router.get("/findings", response=list[FindingOut],
            summary="疑点列表（本辖区，可按规则、级别、状态、批次筛选；batch=批次号id 时默认列出该批次全部状态的疑点）")
def findings(request, rule: str = "", severity: str = "", state: str | None = None, batch_id: int | None = None,
             batch: int | None = None):
    batch_id = batch or batch_id
    if state is None:
        state = "" if batch_id else "open"  # one batch: every finding of it; else the open ones as before
    qs = selectors.findings_for(request.user, rule=rule, severity=severity, state=state, batch_id=batch_id)
    return [_out(f) for f in qs[:1000]]


class JobStarted(Schema):
    job: int


@router.post("/batches/{batch_id}/run", response={202: JobStarted}, url_name="checks_batch_run",
             summary="对批次运行大数据比对（后台任务，返回任务号；完成后查看 findings?batch=）")
def batch_run(request, batch_id: int):
    from django.shortcuts import get_object_or_404

    from yikatong.rosters.selectors import batches_for

    from .tasks import batch_check_start

    batch = get_object_or_404(batches_for(request.user), pk=batch_id)  # another county's batch: 404
    return Status(202, {"job": batch_check_start(actor=request.user, batch_id=batch.pk).pk})


@router.post("/findings/{finding_id}/dispose", response=FindingOut, summary="处置疑点：confirmed 确认 / transferred 移送线索（须写理由）/ cleared 排除（须写理由和依据说明）")
def dispose(request, finding_id: int, payload: DisposeIn):
    if not selectors.findings_for(request.user).filter(pk=finding_id).exists():
        raise FindingNotFound("FINDING_NOT_IN_SCOPE")
    f = services.finding_dispose(actor=request.user, finding_id=finding_id, decision=payload.decision,
                         reason=payload.reason, evidence_text=payload.evidence_text)
    return _out(f)


class ReviewIn(Schema):
    note: str = ""


@router.post("/findings/{finding_id}/confirm-clear", response=FindingOut,
             summary="四眼复核：主管部门负责人（非提出人）确认排除阻断级疑点")
def confirm_clear(request, finding_id: int, payload: ReviewIn):
    return _review(request, finding_id, services.finding_clear_confirm, payload.note)


@router.post("/findings/{finding_id}/reject-clear", response=FindingOut,
             summary="四眼复核：退回排除申请（须写理由），疑点重新待处置")
def reject_clear(request, finding_id: int, payload: ReviewIn):
    return _review(request, finding_id, services.finding_clear_reject, payload.note)


def _review(request, finding_id: int, call, note: str) -> dict:
    if not selectors.findings_for(request.user).filter(pk=finding_id).exists():
        raise FindingNotFound("FINDING_NOT_IN_SCOPE")
    return _out(call(actor=request.user, finding_id=finding_id, note=note))


class RuleSettingOut(Schema):
    id: int
    rule: str
    region: str | None
    policy: str
    enabled: bool
    params: dict
    version: int
    changed_by: str
    changed_at: str
    reason: str


class RuleOut(Schema):
    code: str
    name: str
    severity: str
    enabled: bool
    version: int
    defaults: dict
    settings: list[RuleSettingOut]


class RuleSettingIn(Schema):
    region: str = ""
    policy: str = ""
    enabled: bool = True
    params: dict = {}
    reason: str = ""


def _setting_out(s) -> dict:
    return {"id": s.pk, "rule": s.rule.code, "region": s.region_id, "policy": s.policy_code, "enabled": s.enabled,
            "params": s.params, "version": s.version, "changed_by": str(s.changed_by),
            "changed_at": s.changed_at.isoformat(), "reason": s.reason}


@router.get("/rules", response=list[RuleOut], summary="比对规则：默认值及本辖区适用的区划/政策设置（各版本）")
def rules(request):
    from .engine import rule_params
    from .setting_services import READ_ROLES

    if not request.user.has_role(*READ_ROLES):
        raise Forbidden("CHECK_RULES_READ_ROLE")
    history: dict[str, list] = {}
    for s in selectors.rule_settings_for(request.user):
        history.setdefault(s.rule.code, []).append(_setting_out(s))
    return [{"code": r.code, "name": r.name, "severity": r.severity, "enabled": r.enabled, "version": r.version,
             "defaults": rule_params(r), "settings": history.get(r.code, [])} for r in selectors.rule_catalogue()]


@router.post("/rules/{code}/settings", response=RuleSettingOut,
             summary="调整规则设置（财政业务科室或政策主管部门）：按区划和/或政策，形成新版本")
def set_setting(request, code: str, payload: RuleSettingIn):
    from .setting_services import rule_setting_save

    s = rule_setting_save(actor=request.user, rule_code=code, region_code=payload.region,
                         policy_code=payload.policy, enabled=payload.enabled, params=payload.params,
                         reason=payload.reason)
    return _setting_out(s)


class SweepIn(Schema):
    region: str = ""  # 6/9/12-digit region code within the caller's scope; empty: the caller's whole scope
    year: str = ""  # only the batches of this year (period prefix); empty: every batch
    engine: str = "duckdb"  # duckdb (an extract) or db (the primary database)


@router.post("/sweeps", response={202: JobStarted}, url_name="checks_sweep_start",
             summary="全量大数据比对：本辖区或其中某区划（财政部门、监管人员、系统管理员；后台任务，返回任务号）")
def sweep_start(request, payload: SweepIn):
    from .tasks import sweep_start as start

    job = start(actor=request.user, region_code=payload.region.strip() or None, year=payload.year.strip() or None,
                engine=payload.engine)
    return Status(202, {"job": job.pk})
