"""Per-county, per-year serial numbers that are unique forever (batch numbers, clue case numbers).

A sequence model has `county_code`, `year` and `last_value`, unique on (county_code, year). The
row is locked (select_for_update) until the caller's transaction ends, so concurrent callers
queue; if the caller rolls back, the number was never used."""
import re

from django.db import IntegrityError, transaction

COUNTY_RE = re.compile(r"\d{6}")
MAX_SERIAL = 999_999


def take_next(model, *, county_code: str, year: int, what: str, max_serial: int = MAX_SERIAL) -> tuple[object, int]:
    """(the locked sequence row, the next serial) of `county_code` and `year` in `model`.
    `what` names the number in errors (e.g. "批次号"). Call inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{what}必须在使用它的事务中分配")
    if not isinstance(county_code, str) or not COUNTY_RE.fullmatch(county_code):
        raise ValueError(f"县级区划代码“{county_code}”应为 6 位数字")
    rows = model.objects.select_for_update()
    seq = rows.filter(county_code=county_code, year=year).first()
    if seq is None:
        try:
            with transaction.atomic():  # savepoint: another caller may create the row first
                model.objects.create(county_code=county_code, year=year)
        except IntegrityError:
            pass
        seq = rows.get(county_code=county_code, year=year)
    if seq.last_value >= max_serial:
        raise ValueError(f"{county_code} {year} 年的{what}已用尽")
    seq.last_value += 1
    seq.save(update_fields=["last_value"])
    return seq, seq.last_value
