"""When an allocation must be passed down (下达), from the local profile.

seed 001: 15 calendar days for funds the province assigned per county (直接分配到县), 30 days
otherwise; seed 003: 3 working days per level. Counted from the day the quota was received.
"""
import datetime

from yikatong.core.calendar import add_working_days
from yikatong.core.profiles import LocalProfile


def allocation_deadline(quota, profile: LocalProfile) -> datetime.date | None:
    if profile.quota_working_days_per_level:
        return add_working_days(quota.received_on, profile.quota_working_days_per_level)
    days = profile.quota_direct_days if quota.direct_to_county else profile.quota_other_days
    if days is None:
        days = profile.quota_other_days
    return quota.received_on + datetime.timedelta(days=days) if days is not None else None


def deadline_rule(profile: LocalProfile) -> str:
    """The rule in words, for the allocation form."""
    if profile.quota_working_days_per_level:
        return f"收到指标后{profile.quota_working_days_per_level}个工作日内下达"
    if profile.quota_direct_days or profile.quota_other_days:
        return (f"直接分配到县的资金收到后{profile.quota_direct_days}日内下达，"
                f"其他资金{profile.quota_other_days}日内分配到县")
    return "本地配置未规定下达时限"
