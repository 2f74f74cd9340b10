"""Catalogue deadlines from the local profile: 备案 by (month, day) of the year before
(seed 001: 12-20) and 公布 by (month, day) of the catalogue year (seed 004: 03-31)."""
import datetime
from dataclasses import dataclass

from yikatong.core.profiles import LocalProfile

from .models import CatalogueState, PolicyCatalogue

LOOKAHEAD_DAYS = 60  # a deadline shows on the to-do list this many days ahead
_FILED = {CatalogueState.FILED, CatalogueState.PUBLISHED, CatalogueState.SUPERSEDED}
_PUBLISHED = {CatalogueState.PUBLISHED, CatalogueState.SUPERSEDED}


@dataclass(frozen=True)
class Deadline:
    title: str
    due: datetime.date
    overdue: bool
    catalogue_id: int | None


def catalogue_deadlines(region, *, today: datetime.date, profile: LocalProfile) -> list[Deadline]:
    """Deadlines not yet met for the region's catalogues of this year and next."""
    if region.level > 3:
        return []
    found: dict[int, tuple[set, int | None]] = {}
    for cat in PolicyCatalogue.objects.filter(region=region, year__in=(today.year, today.year + 1)).order_by("version"):
        states, _ = found.get(cat.year, (set(), None))
        found[cat.year] = (states | {cat.state}, cat.pk)
    out = []
    for year in (today.year, today.year + 1):
        states, pk = found.get(year, (set(), None))
        rules = []
        if profile.catalogue_filing_deadline and region.level >= 2:
            rules.append(("报送备案", datetime.date(year - 1, *profile.catalogue_filing_deadline), _FILED))
        if profile.catalogue_publish_deadline:
            rules.append(("向社会公布", datetime.date(year, *profile.catalogue_publish_deadline), _PUBLISHED))
        for verb, due, done in rules:
            if states & done or (due - today).days > LOOKAHEAD_DAYS:
                continue
            out.append(Deadline(f"{region.name}{year}年补贴政策清单须于{due.year}年{due.month}月{due.day}日前{verb}", due, today > due, pk))
    return out
