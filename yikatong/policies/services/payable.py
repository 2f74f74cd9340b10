"""The guard every payment path calls: "一张清单管制度" — only a policy on a published catalogue
of that year and region can be paid."""
import datetime

from yikatong.core.refusals import invalid

from .. import errors  # noqa: F401  (registers the refusal messages)
from ..selectors import chain_codes, current_version, policy_usable
from ..standard import period_year


def assert_payable(policy, *, region_code: str, period: str | None = None, on_date: datetime.date | None = None) -> None:
    """Raise ValidationError unless `policy` (a Policy or its unified code) is on the published
    catalogue of the year of `period` (or of `on_date`) of `region_code` or a region above it.
    With `on_date`, the catalogue version in force on that day counts."""
    if period is None and on_date is None:
        raise ValueError("assert_payable needs period or on_date")
    code = policy if isinstance(policy, str) else policy.code
    name = code if isinstance(policy, str) else f"{policy.name}（{code}）"
    year = period_year(period) if period is not None else on_date.year
    if not chain_codes(region_code):
        raise invalid("PAYABLE_REGION_UNKNOWN", region=region_code)
    if on_date is not None and on_date.year == year:
        ok = policy_usable(code, region_code=region_code, on_date=on_date)
    else:
        ok = current_version(code, region_code=region_code, year=year) is not None
    if not ok:
        raise invalid("POLICY_NOT_IN_CATALOGUE", name=name, year=year)
