"""The schedule: what runs when, read from the one declaration `settings.YKT_SCHEDULES`.

Each entry names a @job_handler by dotted path (like a job's kind), so the foundation never imports
the business apps whose work it schedules. A slot is one fire time of an entry's cron trigger; slot
times are computed from the trigger alone, so every worker names the same slot the same way and the
claim (services.schedule_slot_fire, a row unique on (name, slot time)) lets exactly one of them run it.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Schedule:
    name: str
    cron: str
    handler: str
    title: str
    description: str = ""
    params: dict = field(default_factory=dict)
    when: str = ""  # dotted path of a cheap check "is there anything to do?"; "" = always

    @property
    def trigger(self) -> CronTrigger:
        return cron_trigger(self.cron)

    @property
    def in_words(self) -> str:
        return cron_in_words(self.cron)

    def next_slot(self, now: datetime.datetime | None = None) -> datetime.datetime | None:
        """The next fire time after `now`."""
        now = (now or timezone.now()).astimezone(tz())
        return self.trigger.get_next_fire_time(None, now + datetime.timedelta(microseconds=1))

    def last_slot(self, now: datetime.datetime | None = None) -> datetime.datetime | None:
        """The latest fire time at or before `now` (None if there was none in the past 400 days)."""
        now = (now or timezone.now()).astimezone(tz())
        trigger = self.trigger
        back = datetime.timedelta(minutes=2)
        while back <= datetime.timedelta(days=400):
            fire = trigger.get_next_fire_time(None, now - back)
            if fire is not None and fire <= now:
                while True:  # walk forward to the last fire time not after now
                    following = trigger.get_next_fire_time(fire, fire + datetime.timedelta(microseconds=1))
                    if following is None or following > now:
                        return fire
                    fire = following
            back *= 2
        return None


_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _dow_names(dow: str) -> str:
    """Standard cron day-of-week numbers (0 or 7 = Sunday) as names: APScheduler 3 counts 0 as Monday
    (CronTrigger.from_crontab keeps that mismatch), names mean the same to both."""
    if dow == "*" or not all(ch.isdigit() or ch in ",-" for ch in dow):
        return dow
    days = []
    for part in dow.split(","):
        ends = [int(e) for e in part.split("-")]
        if any(e > 7 for e in ends):
            raise ValueError(f"day of week out of range: {dow}")
        numbers = range(ends[0], ends[-1] + 1) if len(ends) == 2 else ends
        days += [_CRON_DAYS[n] for n in numbers if _CRON_DAYS[n] not in days]
    return ",".join(days)


def cron_trigger(cron: str) -> CronTrigger:
    fields = cron.split()
    if len(fields) != 5:
        raise ValueError(f"cron needs 5 fields (minute hour day month weekday): {cron!r}")
    minute, hour, day, month, dow = fields
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=_dow_names(dow), timezone=tz())


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def declared() -> dict[str, Schedule]:
    """Every entry of settings.YKT_SCHEDULES, by name (in declaration order)."""
    out = {}
    for name, spec in getattr(settings, "YKT_SCHEDULES", {}).items():
        out[name] = Schedule(name=name, cron=spec["cron"], handler=spec["handler"], title=spec.get("title", name),
                             description=spec.get("description", ""), params=dict(spec.get("params", {})),
                             when=spec.get("when", ""))
    return out


def get(name: str) -> Schedule | None:
    return declared().get(name)


_DAYS = "日一二三四五六日"


def _day_names(dow: str) -> str:
    names = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
    parts = []
    for part in dow.split(","):
        ends = [str(names.get(p.lower(), p)) for p in part.split("-")]
        if not all(e.isdigit() and int(e) <= 7 for e in ends):
            return ""
        parts.append("至".join("周" + _DAYS[int(e)] for e in ends))
    return "、".join(parts)


def cron_in_words(cron: str) -> str:
    """A five-field cron expression in Chinese for the schedule page ("每天 02:00", "每 10 分钟");
    anything unusual is shown as the expression itself."""
    fields = cron.split()
    if len(fields) != 5:
        return cron
    minute, hour, dom, month, dow = fields
    plain = f"按 cron 表达式“{cron}”"
    if month != "*":
        return plain
    if hour == "*" and dom == "*" and dow == "*":
        if minute.startswith("*/") and minute[2:].isdigit():
            return f"每 {int(minute[2:])} 分钟"
        if minute.isdigit():
            return f"每小时第 {int(minute)} 分"
        if minute == "*":
            return "每分钟"
        return plain
    if not (minute.isdigit() and hour.isdigit()):
        if minute.isdigit() and hour.startswith("*/") and hour[2:].isdigit() and dom == "*" and dow == "*":
            return f"每 {int(hour[2:])} 小时（第 {int(minute)} 分）"
        return plain
    at = f"{int(hour):02d}:{int(minute):02d}"
    if dom == "*" and dow == "*":
        return f"每天 {at}"
    if dom == "*":
        days = _day_names(dow)
        return f"每{days} {at}" if days else plain
    if dow == "*" and all(d.isdigit() for d in dom.split(",")):
        return f"每月 {'、'.join(str(int(d)) for d in dom.split(','))} 日 {at}"
    return plain
