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
    start, end = notice_window(max(profile.notice_min_working_days or 1, 1))
    proof = services.add_attachment(actor=u["zhan"], batch_id=batch.pk, kind="notice_photo", filename="公示.png", data=PNG)
    services.record_notice(actor=u["zhan"], batch_id=batch.pk, level="village", start=start, end=end, place="村委会公示栏",
                           read_at_assembly=profile.notice_read_at_assembly, proof_id=proof.pk)
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


def record_village_notice(batch, user, profile):
    """Register the village notice of a batch in its notice step (photo, place, the profile's length)."""
    start, end = notice_window(max(profile.notice_min_working_days or 1, 1))
    proof = services.add_attachment(actor=user, batch_id=batch.pk, kind="notice_photo", filename="公示.png", data=PNG)
    return services.record_notice(actor=user, batch_id=batch.pk, level="village", start=start, end=end,
                                  place="村委会公示栏", read_at_assembly=profile.notice_read_at_assembly,
                                  proof_id=proof.pk)
