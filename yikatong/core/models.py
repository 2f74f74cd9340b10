"""Data owned by core: corrections and extensions of the official working-day calendar."""
from django.db import models


class Holiday(models.Model):
    """One day whose status differs from the default calendar.

    is_workday=False: a rest day (法定节假日 or extra closure);
    is_workday=True: a make-up working day (调休上班), usually a Saturday or Sunday.
    Rows override chinesecalendar for years it knows and extend weekends for years it does not.
    Write through core.services.holiday_set / holiday_delete.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否上班", default=False, help_text="勾选表示调休上班日；不勾选表示放假")
    name = models.CharField("名称", max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "放假"
        label = f"{self.date.isoformat()} {self.name}" if self.name else self.date.isoformat()
        return f"{label}（{kind}）"


class RateCounter(models.Model):
    """One fixed window of a rate limit (core.ratelimit): how much of `key`'s allowance was used since
    `window_start`. Taken with a conditional UPDATE, so every web worker and thread shares the count."""

    key = models.CharField("限流键", max_length=120)
    window_start = models.DateTimeField("窗口开始")
    count = models.PositiveIntegerField("已用次数", default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="uniq_rate_window")]
        verbose_name = "访问频率计数"

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start.isoformat()}: {self.count}"
