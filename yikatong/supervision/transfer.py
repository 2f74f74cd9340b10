"""The supervision side of a clue transfer (线索移送), called by checks.services.dispose inside its
transaction: the finding is already locked and checked there, and that disposition records the
single audit event (with the case number)."""
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import Clue, ClueEntry, EntryKind
from .numbers import next_case_no


def open_clue(*, actor, finding, reason: str, now) -> Clue:
    if finding.batch_id is None:
        raise ValidationError(f"疑点 #{finding.pk} 不属于任何批次，无法确定移送的县区")
    region = finding.batch.region
    year = timezone.localtime(now).year
    clue = Clue.objects.create(case_no=next_case_no(county_code=region.code[:6], year=year), finding=finding,
                               region=region, reason=reason, transferred_by=actor, transferred_at=now)
    ClueEntry.objects.create(clue=clue, kind=EntryKind.TRANSFER, text=reason, actor=actor, at=now)
    return clue
