"""Guards of the transition table, by name. Each returns None when it holds, or a
`core.refusals.Problem` (code + Chinese message) saying why the step is refused; a bare string is
taken as the message of code ``GUARD_<NAME>``. Other apps register theirs with `register`.

Effects are named writes a transition makes in its own transaction after its guards held and
its state was written (e.g. claiming the (policy, period, person) slots of an approved batch);
other apps register theirs with `register_effect`. An effect may refuse (return a Problem), which
rolls the whole transition back."""
import datetime
from collections.abc import Callable

from django.utils import timezone

from yikatong.core import calendar
from yikatong.core.money import Money
from yikatong.core.profiles import LocalProfile
from yikatong.core.refusals import Problem

from . import errors  # noqa: F401  (the catalogue: registers the codes below)

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
    return None if _active(batch).exists() else Problem("NO_ACTIVE_ITEMS", batch=batch.code)


@register("compared_all")
def compared_all(*, batch, **_):
    items = _active(batch)
    missing = items.filter(compare=[]).count()
    if missing:
        return Problem("COMPARE_MISSING", count=missing)
    blocked = [i for i in items.only("seq", "name", "compare") if BLOCKING_COMPARE & {c.get("code") for c in i.compare}]
    if blocked:
        names = "、".join(f"第{i.seq}条{i.name}" for i in blocked[:5])
        return Problem("COMPARE_BLOCKED", count=len(blocked), names=names)
    return None


# ---- notices (公示) ---------------------------------------------------------------------------------

NOTICE_LEVELS = ("village", "township")  # the levels held before approval (post-payment is apart)


def notice_working_days(start, end) -> int:
    """Working days from start to end, both included."""
    return calendar.working_days_between(start, end) + (1 if calendar.is_workday(start) else 0)


def notice_end(start, working_days: int):
    """The last day of a notice of `working_days` working days starting on `start` (start counts if
    it is a working day): the end is computed by the calendar, never typed."""
    if working_days < 1:
        raise ValueError("a notice lasts at least one working day")
    return calendar.add_working_days(start, working_days - (1 if calendar.is_workday(start) else 0))


def notice_entered_on(batch):
    """The day the batch entered its current notice step (notices may not start earlier)."""
    return timezone.localtime(batch.state_since).date()


def current_notices(batch):
    """The notices recorded since the batch last entered the notice step (a batch returned and
    noticed again starts a new round; the old notices stay, as history)."""
    return batch.notices.filter(recorded_at__gte=batch.state_since, level__in=NOTICE_LEVELS).order_by("level", "start")


def required_levels(profile: LocalProfile) -> tuple[str, ...]:
    return tuple(profile.notice_levels)


def _level_label(level: str) -> str:
    from .models.notice import NoticeLevel

    return NoticeLevel(level).label if level in NoticeLevel.values else level


@register("notice_recorded")
def notice_recorded(*, batch, profile, **_):
    """Every notice the profile requires is recorded for this round, none backdated, each with its
    supervision phone and proof (and read at an assembly where the profile says so)."""
    notices = list(current_notices(batch))
    if not notices:
        return Problem("NOTICE_NOT_RECORDED")
    required = required_levels(profile)
    missing = [lvl for lvl in required if lvl not in {n.level for n in notices}]
    if missing:
        return Problem("NOTICE_LEVEL_MISSING", levels="和".join(_level_label(x) for x in required),
                       missing="、".join(_level_label(x) for x in missing))
    entered = notice_entered_on(batch)
    for n in notices:
        label = _level_label(n.level)
        if n.start < entered:
            return Problem("NOTICE_BACKDATED", start=f"{n.start:%Y-%m-%d}", entered=f"{entered:%Y-%m-%d}")
        if not (n.phone or "").strip():
            return Problem("NOTICE_PHONE_REQUIRED")
        if n.proof_id is None:
            return Problem("NOTICE_PROOF_MISSING", level=label)
        if profile.notice_read_at_assembly and not n.assembly_recorded:
            return Problem("NOTICE_NOT_READ_AT_ASSEMBLY", level=label)
    return None


@register("notice_before_import")
def notice_before_import(*, batch, profile, **_):
    """Where the profile posts the list before it is imported (seed 002 step 6: 按规定程序公示的补贴基础信息，
    由经办站所送交镇财政部门导入"一卡通"系统), the import-and-resubmit step and the department's approval need
    a notice recorded in the round since the department last sent the batch to its notice step."""
    if not profile.notice_before_import:
        return None
    sent = batch.events.filter(action="approve_notice").order_by("-at", "-pk").values_list("at", flat=True).first()
    if sent is None or not batch.notices.filter(level__in=NOTICE_LEVELS, recorded_at__gte=sent).exists():
        return Problem("NOTICE_BEFORE_IMPORT")
    return None


@register("notice_long_enough")
def notice_long_enough(*, batch, profile, **_):
    """Each notice of the round is over (today is after its last day) and lasted the profile's
    minimum of working days, counted again now by the calendar (the stored count is not trusted)."""
    notices = list(current_notices(batch))
    if not notices:
        return Problem("NOTICE_NOT_RECORDED")
    today = timezone.localdate()
    minimum = profile.notice_min_working_days or 0
    for n in notices:
        label = _level_label(n.level)
        if today <= n.end:
            after = n.end + datetime.timedelta(days=1)
            return Problem("NOTICE_NOT_OVER", level=label, end=f"{n.end:%Y-%m-%d}", after=f"{after:%Y-%m-%d}")
        days = notice_working_days(n.start, n.end)
        if days < minimum:
            return Problem("NOTICE_TOO_SHORT", level=label, days=days, minimum=minimum)
    return None


@register("objections_resolved")
def objections_resolved(*, batch, **_):
    from .models import Objection

    open_count = Objection.objects.filter(notice__batch=batch, resolved_at__isnull=True).count()
    return None if not open_count else Problem("OBJECTIONS_OPEN", count=open_count)


# ---- approval ---------------------------------------------------------------------------------------

@register("summary_attached")
def summary_attached(*, batch, **_):
    return None if batch.attachments.filter(kind="summary").exists() else Problem("SUMMARY_MISSING")


@register("quota_sufficient")
def quota_sufficient(*, batch, **_):
    from yikatong.funds.selectors import available_for_batch

    available = available_for_batch(batch)
    if available < batch.total_fen:
        return Problem("QUOTA_INSUFFICIENT", total=_yuan(batch.total_fen), available=_yuan(available))
    return None


def _yuan(fen: int) -> str:
    """An amount for a message: 元 with two decimals and thousands separators (1,234.50)."""
    return Money.from_fen(fen).format().replace("¥", "")


@register("policy_payable")
def policy_payable(*, batch, **_):
    from django.core.exceptions import ValidationError

    from yikatong.policies.services import assert_payable

    try:
        assert_payable(batch.policy, region_code=batch.region_id, period=batch.period)
    except ValidationError as exc:
        return Problem("POLICY_NOT_PAYABLE", detail="；".join(exc.messages))
    return None
