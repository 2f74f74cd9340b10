"""The supervision side of a clue transfer (线索移送).

- `open_clue`: called by checks.services.finding_dispose inside its transaction: the finding is already
  locked and checked there, and that disposition records the single audit event (with the case number).
- `open_complaint_clue`: called by disclosure.complaints_links.complaint_transfer_clue inside its
  transaction, likewise checked and audited there. supervision knows the complaint only by its tracking
  number and a subject line (disclosure sits above supervision)."""
from django.utils import timezone

from yikatong.core.refusals import invalid

from . import errors  # noqa: F401  (registers the refusal messages)
from .models import Clue, ClueEntry, ClueSource, EntryKind
from .numbers import next_case_no


def _open(*, actor, region, reason: str, now, **fields) -> Clue:
    year = timezone.localtime(now).year
    clue = Clue.objects.create(case_no=next_case_no(county_code=region.code[:6], year=year), region=region,
                               reason=reason, transferred_by=actor, transferred_at=now, **fields)
    ClueEntry.objects.create(clue=clue, kind=EntryKind.TRANSFER, text=reason, actor=actor, at=now)
    return clue


def open_clue(*, actor, finding, reason: str, now) -> Clue:
    if finding.batch_id is None:
        raise invalid("CLUE_FINDING_WITHOUT_BATCH", finding=finding.pk)
    return _open(actor=actor, region=finding.batch.region, reason=reason, now=now, finding=finding,
                 source=ClueSource.FINDING)


def open_complaint_clue(*, actor, region, source_ref: str, subject: str, reason: str, now) -> Clue:
    """The clue of a complaint (投诉举报) `source_ref` about `region` (its township or place); once per
    complaint (CLUE_SOURCE_TRANSFERRED)."""
    if Clue.objects.filter(source=ClueSource.COMPLAINT, source_ref=source_ref).exists():
        raise invalid("CLUE_SOURCE_TRANSFERRED", source=source_ref)
    return _open(actor=actor, region=region, reason=reason, now=now, source=ClueSource.COMPLAINT,
                 source_ref=source_ref, subject=subject[:300])
