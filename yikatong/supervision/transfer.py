"""The supervision side of a clue transfer (线索移送), called by checks.services.finding_dispose inside its
transaction: the finding is already locked and checked there, and that disposition records the
single audit event (with the case number)."""
from django.utils import timezone

from yikatong.core.refusals import invalid

from . import errors  # noqa: F401  (registers the refusal messages)
from .models import Clue, ClueEntry, EntryKind
from .numbers import next_case_no


def open_clue(*, actor, finding, reason: str, now) -> Clue:
    if finding.batch_id is None:
        raise invalid("CLUE_FINDING_WITHOUT_BATCH", finding=finding.pk)
    region = finding.batch.region
    year = timezone.localtime(now).year
    clue = Clue.objects.create(case_no=next_case_no(county_code=region.code[:6], year=year), finding=finding,
                               region=region, reason=reason, transferred_by=actor, transferred_at=now)
    ClueEntry.objects.create(clue=clue, kind=EntryKind.TRANSFER, text=reason, actor=actor, at=now)
    return clue
