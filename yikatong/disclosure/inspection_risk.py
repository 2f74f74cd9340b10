"""Complaints as a risk factor of inspections (supervision.sampling, issue 16 §3): a roster item whose village
had complaints or reports (投诉、举报; not questions or notice objections) in the year before the draw weighs
more in a risk-weighted draw. disclosure sits above supervision, so it hands this in through the hook
(DisclosureConfig.ready)."""
from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils import timezone

W_COMPLAINTS = 1.5
WINDOW = datetime.timedelta(days=365)


def complaints_risk(units, as_of=None) -> dict[int, list[tuple[float, str]]]:
    from .models import Complaint

    as_of = as_of or timezone.now()
    villages = sorted({u.village_id for u in units if u.village_id})
    if not villages:
        return {}
    counts = dict(Complaint.objects.filter(kind__in=("complaint", "report"), region_id__in=villages,
                                           filed_at__lte=as_of, filed_at__gt=as_of - WINDOW)
                  .values_list("region_id").annotate(n=Count("pk")).values_list("region_id", "n"))
    return {u.item_id: [(W_COMPLAINTS, f"所在村一年内有投诉举报 {counts[u.village_id]} 件")]
            for u in units if counts.get(u.village_id)}
