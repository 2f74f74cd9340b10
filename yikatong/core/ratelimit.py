"""Fixed-window rate limits kept in the database (no cache server; every gunicorn worker and thread
shares them). `take` spends `amount` of a key's allowance in the current window with one conditional
UPDATE (count + amount <= limit), so concurrent requests can never overspend it.

    take("lookup:search:42", limit=30, window=60)   # False once 30 searches were made this minute
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import RateCounter

_UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
          "d": 86400, "day": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """"30/min", "100/hour", "5/10s" -> Rate."""
        m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*", str(text).lower())
        if not m or m.group(3) not in _UNITS:
            raise ValueError(f"无法识别的频率限制“{text}”，应为“次数/单位”，如 30/min、1000/hour")
        return cls(int(m.group(1)), int(m.group(2) or 1) * _UNITS[m.group(3)])


def _window_start(now: dt.datetime, window: int) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % window, tz=dt.timezone.utc)


def take(key: str, *, limit: int, window: int, amount: int = 1, now: dt.datetime | None = None) -> bool:
    """Spend `amount` of `key`'s allowance in the current window; False (nothing spent) if it would
    exceed `limit`. A request larger than the whole allowance is always refused."""
    if amount > limit:
        return False
    start = _window_start(now or timezone.now(), window)
    with transaction.atomic():
        _, created = RateCounter.objects.get_or_create(key=key, window_start=start)
        if created:  # a new window: the key's old ones are done with
            RateCounter.objects.filter(key=key, window_start__lt=start).delete()
        spent = (RateCounter.objects.filter(key=key, window_start=start, count__lte=limit - amount)
                 .update(count=F("count") + amount))
    return spent == 1


def used(key: str, *, window: int, now: dt.datetime | None = None) -> int:
    start = _window_start(now or timezone.now(), window)
    return RateCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True).first() or 0
