"""Guards of the transition table, by name. Each returns None when it holds, or a
`core.refusals.Problem` (code + Chinese message) saying why the step is refused; a bare string is
taken as the message of code ``GUARD_<NAME>``. Other apps register theirs with `register`.

Effects are named writes a transition makes in its own transaction after its guards held and
its state was written (e.g. claiming the (policy, period, person) slots of an approved batch);
other apps register theirs with `register_effect`. An effect may refuse (return a Problem), which
rolls the whole transition back."""
from collections.abc import Callable

from django.apps import apps
from django.utils import timezone

from yikatong.core import calendar
from yikatong.core.profiles import LocalProfile
from yikatong.core.refusals import Problem

Guard = Callable[..., "Problem | str | None"]
_GUARDS: dict[str, Guard] = {}
_EFFECTS: dict[str, Guard] = {}

# Comparison statuses that stop a roster at the finance office (the rest are warnings for review).
BLOCKING_COMPARE = frozenset({"deceased", "invalid_uscc", "invalid_id"})


def register(name: str):
    def deco(fn: Guard) -> Guard:
        _GUARDS[name] = fn
        return fn

    return deco


def register_effect(name: str):
    def deco(fn: Guard) -> Guard:
        _EFFECTS[name] = fn
        return fn

    return deco


def _problem(name: str, answer) -> Problem | None:
    if answer is None or isinstance(answer, Problem):
        return answer
    return Problem(f"GUARD_{name.upper()}", str(answer))


def check(name: str, *, batch, profile: LocalProfile, actor) -> Problem | None:
    """None if guard `name` holds for `batch` now, else the Problem."""
    return _problem(name, _GUARDS[name](batch=batch, profile=profile, actor=actor))


def run_effect(name: str, *, batch, profile: LocalProfile, actor) -> Problem | None:
    return _problem(name, _EFFECTS[name](batch=batch, profile=profile, actor=actor))


def _active(batch):
    return batch.items.filter(status="active")


@register("has_items")
def has_items(*, batch, **_):
    return None if _active(batch).exists() else f"批次 {batch.code} 没有有效明细，不能提交"


@register("compared_all")
def compared_all(*, batch, **_):
    items = _active(batch)
    missing = items.filter(compare=[]).count()
    if missing:
        return f"还有 {missing} 条明细未做复核比对"
    blocked = [i for i in items.only("seq", "name", "compare") if BLOCKING_COMPARE & {c.get("code") for c in i.compare}]
    if blocked:
        names = "、".join(f"第{i.seq}条{i.name}" for i in blocked[:5])
        return f"{len(blocked)} 条明细比对不通过（已死亡或单位代码无效），请剔除或更正：{names}"
    return None


def notice_working_days(start, end) -> int:
    """Working days from start to end, both included."""
    return calendar.working_days_between(start, end) + (1 if calendar.is_workday(start) else 0)


@register("notice_recorded")
def notice_recorded(*, batch, profile, **_):
    notice = batch.notices.order_by("-start").first()
    if notice is None:
        return "尚未登记公示情况（公示时间、地点和照片）"
    if notice.proof_id is None:
        return "公示情况缺少公示照片或证明材料"
    if profile.notice_read_at_assembly and not notice.read_at_assembly:
        return "按本地规定，公示名单须在群众大会上宣读，请登记宣读情况"
    return None


@register("notice_long_enough")
def notice_long_enough(*, batch, profile, **_):
    notice = batch.notices.order_by("-start").first()
    if notice is None:
        return "尚未登记公示情况"
    today = timezone.localdate()
    if today < notice.end:
        return f"公示期至 {notice.end:%Y-%m-%d} 结束，期满后方可确认"
    minimum = profile.notice_min_working_days or 0
    if notice.working_days < minimum:
        return f"公示时间 {notice.working_days} 个工作日，少于规定的 {minimum} 个工作日"
    return None


@register("objections_resolved")
def objections_resolved(*, batch, **_):
    from .models import Objection

    open_count = Objection.objects.filter(notice__batch=batch, resolved_at__isnull=True).count()
    return None if not open_count else f"还有 {open_count} 条公示异议未处理"


@register("summary_attached")
def summary_attached(*, batch, **_):
    return None if batch.attachments.filter(kind="summary").exists() else "请先上传签字盖章的汇总表扫描件"


@register("no_open_blocking_findings")
def no_open_blocking_findings(*, batch, **_):
    if not apps.is_installed("yikatong.checks"):
        return None  # cross-checks (大数据比对) not installed in this deployment
    from yikatong.checks.selectors import open_blocking_findings_count

    n = open_blocking_findings_count(batch)
    return None if not n else f"还有 {n} 条阻断级疑点未处置，不能审批"


@register("quota_sufficient")
def quota_sufficient(*, batch, **_):
    from yikatong.funds.selectors import available_for_batch

    available = available_for_batch(batch)
    if available < batch.total_fen:
        return f"资金指标余额不足：本批次 {batch.total_fen / 100:,.2f} 元，可用 {available / 100:,.2f} 元"
    return None


@register("policy_payable")
def policy_payable(*, batch, **_):
    from django.core.exceptions import ValidationError

    from yikatong.policies.services import assert_payable

    try:
        assert_payable(batch.policy, region_code=batch.region_id, period=batch.period)
    except ValidationError as exc:
        return "；".join(exc.messages)
    return None
