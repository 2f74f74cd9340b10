"""Fixed-window rate limits kept in the database (no cache server; every gunicorn worker and thread
shares them). `take` spends `amount` of a key's allowance in the current window with one conditional
UPDATE (count + amount <= limit), so concurrent requests can never overspend it.

    take("lookup:search:42", limit=30, window=60)   # False once 30 searches were made this minute

The one wrapper every caller uses (registry lookups, the self-query, complaints, public lists):

    throttle("lookup:42", setting_rate("YKT_LOOKUP_RATE", "30/min"), LookupRateLimited, "LOOKUP_RATE_LIMITED")

raises the caller's refusal with `limit`, `window` (in Chinese: "1小时") and `used` as message parameters.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
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
    conn = transaction.get_connection()
    alone = not conn.in_atomic_block
    with transaction.atomic():
        if alone and conn.vendor == "postgresql":
            # a counter lost in a crash costs nothing, a flush to disk per request does (PostgreSQL waits for
            # the WAL flush at every commit): only this transaction's commit, never a caller's
            with conn.cursor() as cur:
                cur.execute("SET LOCAL synchronous_commit TO OFF")
        _, created = RateCounter.objects.get_or_create(key=key, window_start=start)
        if created:  # a new window: the key's old ones are done with
            RateCounter.objects.filter(key=key, window_start__lt=start).delete()
        spent = (RateCounter.objects.filter(key=key, window_start=start, count__lte=limit - amount)
                 .update(count=F("count") + amount))
    return spent == 1


def used(key: str, *, window: int, now: dt.datetime | None = None) -> int:
    start = _window_start(now or timezone.now(), window)
    return RateCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True).first() or 0


def setting_rate(name: str, default: str) -> Rate:
    """The Rate of setting `name` ("30/min"), `default` when the setting is absent."""
    return Rate.parse(getattr(settings, name, default))


def window_label(seconds: int) -> str:
    """60 -> "1分钟", 86400 -> "1天", 45 -> "45秒": the window as a refusal message says it."""
    for size, unit in ((86400, "天"), (3600, "小时"), (60, "分钟")):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}秒"


def throttle(key: str, rate: Rate, refusal: type[Exception], code: str, *, amount: int = 1, **params) -> None:
    """Spend `amount` of `key`'s allowance under `rate`; past it, raise `refusal(code, limit=…, window=…,
    used=…, **params)` (a core.refusals.Refusal subclass of the calling app, with its own HTTP status)."""
    if not take(key, limit=rate.limit, window=rate.window, amount=amount):
        raise refusal(code, limit=rate.limit, window=window_label(rate.window),
                      used=used(key, window=rate.window), **params)
