"""Case numbers of clues: XS-<county code>-<year>-<serial>, unique forever, never reused."""
from yikatong.core.serials import take_next

from .models import ClueNumberSequence


def next_case_no(*, county_code: str, year: int) -> str:
    """Allocate the next number inside the caller's transaction.

    The sequence row is locked (select_for_update) until the caller commits, so concurrent
    transfers queue; if the caller rolls back, the number was never used. No audit event of its
    own: the transfer that uses the number records one.
    """
    _, serial = take_next(ClueNumberSequence, county_code=county_code, year=year, what="线索编号")
    return f"XS-{county_code}-{year}-{serial:06d}"
