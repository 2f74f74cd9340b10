import pytest
from django.core.management import call_command

from yikatong.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from yikatong.accounts.models import Organization, OrgKind, User
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.audit.verify import verify_chain
from yikatong.regions.models import Region

pytestmark = pytest.mark.django_db


def _counts():
    return Organization.objects.count(), User.objects.count(), AuditEvent.objects.filter(action="demo.build_county").count()


def test_demo_builds_a_real_county_and_is_idempotent(client, settings, tmp_path):
    settings.YKT_BANK_OUTBOX, settings.YKT_BANK_INBOX = tmp_path / "outbox", tmp_path / "inbox"
    call_command("demo", "--county", "650121", "--size", "1000")
    first = _counts()
    call_command("demo", "--county", "650121", "--size", "1000")
    assert _counts() == first and first[2] == 1
    from yikatong.rosters.models import Batch

    # the approved batch was paid by the payments demo: closed once its reissue batch was paid; the disclosure
    # demo put a fourth one in its notice step
    assert sorted(Batch.objects.values_list("state", flat=True)) == ["closed", "dept_review", "draft", "notice",
                                                                     "paid"]
    townships = Region.objects.filter(code__startswith="650121", level=4).count()
    assert townships == 8
    assert Organization.objects.filter(kind=OrgKind.TOWNSHIP_FINANCE).count() == townships
    assert Organization.objects.filter(kind=OrgKind.LINE_DEPARTMENT).count() >= 5
    assert Organization.objects.filter(kind=OrgKind.AGENT_BANK).count() == 1
    assert Organization.objects.filter(kind=OrgKind.SUPERVISION).count() == 1
    # one user per role, each able to log in
    roles = {g for u in User.objects.all() for g in u.role_set}
    assert roles == set(Role.values)
    for du in DEMO_USERS:
        assert client.login(username=du.username, password=DEMO_PASSWORD), du.username
    assert verify_chain().ok


def test_demo_users_sit_in_the_right_places(settings, tmp_path):
    settings.YKT_BANK_OUTBOX, settings.YKT_BANK_INBOX = tmp_path / "outbox", tmp_path / "inbox"
    call_command("demo", "--county", "650121", "--size", "300")
    zhan = User.objects.get(username="zhan")
    assert zhan.organization.kind == OrgKind.TOWNSHIP_STATION and zhan.region.level == 4
    assert User.objects.get(username="cun").region.level == 5
    assert User.objects.get(username="shenji").region.code == "650121000000"


def test_only_the_platform_admin_of_the_demo_may_change_the_nationwide_calendar(client, settings, tmp_path):
    settings.YKT_BANK_OUTBOX, settings.YKT_BANK_INBOX = tmp_path / "outbox", tmp_path / "inbox"
    call_command("demo", "--county", "650121", "--size", "300")
    from django.urls import reverse

    from yikatong.core.models import Holiday

    form = {"date": "2031-01-02", "is_workday": "", "name": "演示"}
    assert client.login(username="admin", password=DEMO_PASSWORD)
    assert client.post(reverse("holiday_set"), form).status_code == 403
    assert not Holiday.objects.filter(date="2031-01-02").exists()
    client.logout()
    assert client.login(username="pingtai", password=DEMO_PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("holidays")).status_code == 200
    client.post(reverse("holiday_set"), form)
    assert Holiday.objects.filter(date="2031-01-02", is_workday=False).exists()


def test_demo_of_profile_001_walks_its_own_steps_in_its_seed_county(settings, tmp_path):
    """Issue 14: `YKT_PROFILE=001 make run` crashed (the rosters demo skipped the township verification 001
    requires). The demo now takes each batch through the profile's own table, in the profile's seed county."""
    from yikatong.rosters.models import Batch, BatchEvent

    settings.YKT_BANK_OUTBOX, settings.YKT_BANK_INBOX = tmp_path / "outbox", tmp_path / "inbox"
    settings.YKT_PROFILE = "001"
    call_command("demo", "--size", "300")  # no --county: the seed county of profile 001 (楚雄市)
    paid = Batch.objects.get(kind="normal", period="2026-09")
    assert paid.region_id.startswith("532301") and paid.profile_code == "001" and paid.state == "closed"
    actions = [a for a in BatchEvent.objects.filter(batch=paid).order_by("pk").values_list("action", flat=True)
               if a in {"start_verify", "verified", "send_compare"}]
    assert actions[:3] == ["start_verify", "verified", "send_compare"]
    reissue = Batch.objects.get(kind="reissue")
    assert "start_verify" in BatchEvent.objects.filter(batch=reissue).values_list("action", flat=True)


def test_demo_shows_the_public_half(client, settings, tmp_path):
    """Issue 15 point 7: a notice running online, a published result list of the paid batch, and complaints in
    each state (received, answered, closed, overdue and escalated), all through the real services."""
    from django.urls import reverse

    from yikatong.disclosure.models import Complaint, PublishedList
    from yikatong.rosters.models import Batch

    settings.YKT_BANK_OUTBOX, settings.YKT_BANK_INBOX = tmp_path / "outbox", tmp_path / "inbox"
    call_command("demo", "--county", "650121", "--size", "300")
    running = Batch.objects.get(state="notice")
    notice = PublishedList.objects.get(batch=running, kind="notice", state="published")
    assert notice.published_by is None and notice.row_count == running.item_count > 0
    header = notice.content["header"]
    assert header["start"] <= str(timezone_today()) <= header["end"]
    result = PublishedList.objects.get(kind="result", state="published")
    assert result.batch.state in {"paid", "partly_failed", "closed"} and result.published_by.username == "gongkai"
    complaints = list(Complaint.objects.all())
    assert sorted(c.state for c in complaints) == ["answered", "closed", "received", "received"]
    assert [c.escalation for c in complaints if c.due_on < timezone_today()] == [1]
    page = client.get(reverse("public_list_region", args=[running.region_id[:6]])).content.decode()
    assert notice.title in page and result.title in page
    before = (PublishedList.objects.count(), Complaint.objects.count())
    call_command("demo", "--county", "650121", "--size", "300")
    assert (PublishedList.objects.count(), Complaint.objects.count()) == before


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()
