"""Demo step: monitoring reports of the past two months for each report the profile asks for — the month
before last built and submitted, last month's built but left a draft (overdue once its day has passed)."""
from __future__ import annotations

from django.utils import timezone

from yikatong.accounts.models import User
from yikatong.regions.models import Region

from . import definitions, services
from .models import MonitoringReport


def build(county_code: str, *, size: int, stdout) -> None:
    specs = definitions.specs()
    if not specs:
        return
    county = Region.objects.filter(code__in=[county_code, Region.full_code(county_code)]).first()
    users = list(User.objects.filter(organization__region=county, is_active=True).select_related("organization__region")
                 .order_by("username"))
    today = timezone.localdate()
    older, last = definitions.months_before(today, 3)[2], definitions.months_before(today, 2)[1]
    made = 0
    for spec in specs:
        filer = next((u for u in users if definitions.files(u, spec)), None)
        if filer is None:
            continue
        for (year, month), submit in ((older, True), (last, False)):
            if MonitoringReport.objects.filter(definition=spec.code, organization=filer.organization, year=year,
                                               month=month).exists():
                continue
            report = services.report_build(actor=filer, definition=spec.code, period=f"{year}-{month:02d}",
                                           today=today)
            if submit:
                services.report_submit(actor=filer, pk=report.pk)
            made += 1
    stdout.write(f"监测报表：新建 {made} 份（上上月已报送，上月草稿）")
