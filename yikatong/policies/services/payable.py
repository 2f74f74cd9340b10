"""The guard every payment path calls: "一张清单管制度" — only a policy on a published catalogue
of that year and region can be paid."""
import datetime

from django.core.exceptions import ValidationError

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
        raise ValidationError(f"区划代码“{region_code}”不存在")
    if on_date is not None and on_date.year == year:
        ok = policy_usable(code, region_code=region_code, on_date=on_date)
    else:
        ok = current_version(code, region_code=region_code, year=year) is not None
    if not ok:
        raise ValidationError(
            f"补贴项目“{name}”不在本地区{year}年已公布的补贴政策清单中，不能发放。"
            "凡通过“一卡通”发放的补贴，须先纳入年度补贴政策清单。"
        )
