"""The dashboard (监管看板): its figures are the sums of the data in the reader's scope (another county's left
out), each role family gets its page, and every drill-down link opens a list page that answers."""
import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.support import factories
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.core.refusals import Forbidden
from yikatong.reports import dashboard_selectors, figures
from yikatong.rosters.models import Batch, BatchItem

from .support import expected, random_ledger

DRILL = re.compile(r'href="([^"]+)" data-testid="drill-[a-z-]+"')


@pytest.fixture
def dash(pw, regions, make_user):
    random_ledger(random.Random(16), pw, regions, agreement=pw.agreement, n_batches=8)
    other = Batch.objects.create(code="OTHER1", policy=pw.policy, period="2026-11", region=regions["other_county"],
                                 department=pw.orgs["mz"], profile_code="000", state="approved",
                                 state_since=timezone.now(), created_by=pw.users["zhan"])
    factories.add_item(other, 1, "外县人", "142401195001010011", "6217000000000000011", amount_fen=777_700)
    pw.users["head"] = make_user("head", Role.TOWNSHIP_HEAD, region=regions["town1"], kind=OrgKind.TOWNSHIP)
    pw.users["sup"] = make_user("sup", Role.SUPERVISOR)
    return pw


@pytest.mark.django_db
def test_finance_figures_are_the_sums_of_the_county_and_leave_out_another_county(dash, regions):
    d = dashboard_selectors.dashboard(dash.users["fin"], period="2026-11")
    want = expected(regions["county"], 2026, 11, None)
    assert d["family"] == "finance"
    for key in ("approved_fen", "paid_fen", "failed_fen", "returned_fen", "cards", "cards_active"):
        assert d["totals"][key] == want[key], key
    for key in ("approved_fen", "paid_fen", "failed_fen"):
        assert sum(m[key] for m in d["money_by_policy"]) == want[key]
        assert sum(m[key] for m in d["money_by_region"]) == want[key]
    assert all(m["code"].startswith(regions["county"].prefix) for m in d["money_by_region"])
    open_batches = Batch.objects.filter(region__code__startswith=regions["county"].prefix).exclude(
        state__in=dashboard_selectors.TERMINAL)
    assert sum(p["count"] for p in d["progress"]) == open_batches.count()
    other = dashboard_selectors.dashboard(dash.users["other_fin"], period="2026-11")
    assert other["totals"]["approved_fen"] == 777_700 and other["progress"] == [
        {"state": "approved", "label": "财政审核通过，待支付", "count": 1, "late": 0,
         "url": reverse("batch_list") + "?state=approved"}]


@pytest.mark.django_db
def test_late_steps_count_batches_past_their_deadline(dash):
    b = Batch.objects.filter(region__code__startswith="141024").exclude(
        state__in=dashboard_selectors.TERMINAL).first()
    Batch.objects.filter(pk=b.pk).update(due_date=timezone.localdate().replace(day=1).replace(year=2026, month=1))
    progress = {p["state"]: p for p in dashboard_selectors.dashboard(dash.users["fin"])["progress"]}
    assert progress[b.state]["late"] >= 1 and progress[b.state]["url"].endswith(f"?state={b.state}")


@pytest.mark.django_db
def test_a_role_outside_the_families_is_refused(dash, client):
    with pytest.raises(Forbidden) as exc:
        dashboard_selectors.dashboard(dash.users["op"])
    assert exc.value.code == "DASHBOARD_ROLE"
    client.force_login(dash.users["op"])
    assert client.get(reverse("reports_dashboard")).status_code == 403
    assert client.get("/api/reports/dashboard").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("user, family, panel", [
    ("fin", "finance", "panel-progress"), ("mz_rev", "department", "panel-findings"),
    ("head", "township", "panel-money"), ("sup", "supervisor", "panel-findings")])
def test_each_family_has_its_page_and_every_drill_down_answers(dash, client, user, family, panel):
    client.force_login(dash.users[user])
    resp = client.get(reverse("reports_dashboard"), {"period": "2026-11"})
    page = resp.content.decode()
    assert resp.status_code == 200 and f'data-testid="{panel}"' in page and 'id="dashboard-data"' in page
    assert resp.context["d"]["family"] == family
    links = set(DRILL.findall(page))
    assert links
    for url in links:
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url
    api = client.get("/api/reports/dashboard", {"period": "2026-11"}).json()
    assert api["family"] == family and api["totals"] == resp.context["d"]["totals"]


@pytest.mark.django_db
def test_the_department_sees_only_its_own_batches(dash, regions):
    d = dashboard_selectors.dashboard(dash.users["ny_rev"], period="2026-11")
    assert d["family"] == "department" and d["totals"]["approved_fen"] == 0 and d["progress"] == []


@pytest.mark.django_db
def test_a_finding_drill_down_lists_exactly_the_counted_findings(dash, client):
    client.force_login(dash.users["fin"])
    findings = dashboard_selectors.dashboard(dash.users["fin"])["findings"]
    assert findings
    for f in findings:
        resp = client.get(f["url"])
        assert resp.status_code == 200 and resp.context["page"].paginator.count == f["count"]


@pytest.mark.django_db
def test_the_trend_of_the_month_equals_its_approved_amount(dash, regions):
    d = dashboard_selectors.dashboard(dash.users["fin"], period="2026-11")
    monthly = sum(it.amount_fen for it in BatchItem.objects.filter(
        batch__period="2026-11", batch__region__code__startswith=regions["county"].prefix, status="active",
        batch__state__in=figures.APPROVED_STATES))
    assert [t["period"] for t in d["trend"]] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert d["trend"][-1]["approved_fen"] == monthly
