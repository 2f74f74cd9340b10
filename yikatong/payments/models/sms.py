"""短信告知 of paid lines: the outbox table."""
from django.db import models

from .orders import PaymentOrderItem


class SmsState(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败（将重试）"
    GAVE_UP = "gave_up", "多次失败，已停止"


class SmsNotice(models.Model):
    """短信告知 of one paid line: the outbox table (the default backend's whole world).

    The text names the province's policy, the amount, the date and only the last four digits of
    the account; the phone number is stored encrypted."""

    line = models.OneToOneField(PaymentOrderItem, on_delete=models.PROTECT, related_name="sms", verbose_name="支付明细")
    phone_enc = models.TextField("手机号（密文）")
    phone_masked = models.CharField("手机号（脱敏）", max_length=20)
    text = models.CharField("短信内容", max_length=300)
    state = models.CharField("状态", max_length=10, choices=SmsState.choices, default=SmsState.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    last_error = models.CharField("最近错误", max_length=200, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "短信告知"

    def __str__(self) -> str:
        return f"{self.phone_masked} {self.get_state_display()}"
