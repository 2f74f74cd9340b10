"""Case numbers of clues: XS-<county code>-<year>-<serial>, unique forever, never reused."""
import re

from django.db import IntegrityError, transaction

from .models import ClueNumberSequence

_COUNTY_RE = re.compile(r"\d{6}")
_MAX_SERIAL = 999_999


def next_case_no(*, county_code: str, year: int) -> str:
    """Allocate the next number inside the caller's transaction.

    The sequence row is locked (select_for_update) until the caller commits, so concurrent
    transfers queue; if the caller rolls back, the number was never used. No audit event of its
    own: the transfer that uses the number records one.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_case_no must run inside the transfer's transaction")
    if not _COUNTY_RE.fullmatch(county_code or ""):
        raise ValueError(f"县级区划代码“{county_code}”应为 6 位数字")
    rows = ClueNumberSequence.objects.select_for_update()
    seq = rows.filter(county_code=county_code, year=year).first()
    if seq is None:
        try:
            with transaction.atomic():  # savepoint: another transfer may create the row first
                ClueNumberSequence.objects.create(county_code=county_code, year=year)
        except IntegrityError:
            pass
        seq = rows.get(county_code=county_code, year=year)
    if seq.last_value >= _MAX_SERIAL:
        raise ValueError(f"{county_code} {year} 年的线索编号已用尽")
    seq.last_value += 1
    seq.save(update_fields=["last_value"])
    return f"XS-{county_code}-{year}-{seq.last_value:06d}"
