"""Walking a batch through its profile's steps in tests."""
import datetime

from django.utils import timezone

from yikatong.core import calendar
from yikatong.core.profiles import get_profile
from yikatong.rosters import services, transitions
from yikatong.rosters.importer.run import import_roster
from yikatong.rosters.models import Batch

from .files import good_rows, to_csv

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def notice_window(days: int) -> tuple[datetime.date, datetime.date]:
    """A notice of `days` working days that ended yesterday or earlier."""
    end = timezone.localdate() - datetime.timedelta(days=1)
    while not calendar.is_workday(end):
        end -= datetime.timedelta(days=1)
    start = end
    counted = 1
    while counted < days:
        start -= datetime.timedelta(days=1)
        if calendar.is_workday(start):
            counted += 1
    return start, end


PHONE = "0357-6221234"  # the supervision phone (监督电话) shown on a notice


def entered_notice_on(batch, day: datetime.date) -> None:
    """Test time travel: the batch entered its notice step on `day` (a notice may not start earlier)."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
    Batch.objects.filter(pk=batch.pk).update(state_since=at)


def record_notices(batch, user, profile, days: int | None = None):
    """Every notice the profile requires (village and/or township), of `days` working days (default the
    profile's minimum) ended yesterday or earlier, with proof and supervision phone; the batch is
    taken to have entered the notice step on the first day."""
    days = days or max(profile.notice_min_working_days or 1, 1)
    start, end = notice_window(days)
    entered_notice_on(batch, start)
    notices = []
    for level in profile.notice_levels or ("village",):
        proof = services.add_attachment(actor=user, batch_id=batch.pk, kind="notice_photo", filename=f"{level}.png",
                                        data=PNG)
        notices.append(services.record_notice(
            actor=user, batch_id=batch.pk, level=level, start=start, working_days=days, place="村委会公示栏",
            phone=PHONE, read_at_assembly=profile.notice_read_at_assembly, proof_id=proof.pk))
    assert all(n.end == end for n in notices)
    return notices


def do(batch, user, action, reason=""):
    return transitions.apply(actor=user, batch_id=batch.pk, action=action, reason=reason)


def walk_to_approved(batch, rw, profile_code: str) -> list[str]:
    """Returns the list of states visited."""
    Batch.objects.filter(pk=batch.pk).update(profile_code=profile_code)
    batch.refresh_from_db()
    profile = get_profile(profile_code)
    u = rw.users
    seen = [batch.state]
    import_roster(actor=u["zhan"], batch_id=batch.pk, data=to_csv(good_rows(3)), filename="清册.csv", mode="all_or_nothing")
    if profile.township_verify_working_days:
        batch = do(batch, u["zhan"], "start_verify")
        seen.append(batch.state)
        assert batch.due_date == calendar.add_working_days(timezone.localdate(), profile.township_verify_working_days)
        batch = do(batch, u["zhan"], "verified")
        seen.append(batch.state)
    for user, action in [("zhan", "send_compare"), ("czs", "compare_pass"), ("zhan", "submit"), ("mz_rev", "approve_notice")]:
        batch = do(batch, u[user], action)
        seen.append(batch.state)
    record_notices(batch, u["zhan"], profile)
    batch = do(batch, u["zhan"], "finish_notice")
    seen.append(batch.state)
    if profile.resubmit_after_notice:
        batch = do(batch, u["czs"], "resubmit")
        seen.append(batch.state)
    services.add_attachment(actor=u["mz_head"], batch_id=batch.pk, kind="summary", filename="汇总表.png", data=PNG)
    batch = do(batch, u["mz_head"], "dept_approve")
    seen.append(batch.state)
    batch = do(batch, u["fin"], "finance_approve")
    seen.append(batch.state)
    return seen

