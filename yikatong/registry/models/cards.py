"""Social-security-card follow-ups (激活跟进) and account change requests (账户变更申请)."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from ..choices import AccountChangeState, AccountKind, FollowUpResult
from ..fields import BlindIndexField

CHANGE_ATTACHMENT_PURPOSE = b"ykt.registry.account_change.v1"  # associated data of attachment_enc


class CardFollowUp(models.Model):
    """A station's contact with a person whose card is not usable, and what came of it."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="card_followups")
    account = models.ForeignKey("registry.BankAccount", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    contacted_on = models.DateField("联系日期")
    result = models.CharField("结果", max_length=12, choices=FollowUpResult.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-contacted_on", "-id"]
        verbose_name = "社保卡激活跟进"

    def __str__(self) -> str:
        return f"{self.get_result_display()} {self.contacted_on}"


class AccountChangeRequest(models.Model):
    """A request to pay a person into another account. The new number is stored like every account
    (ciphertext + blind index); on approval, from the effective date, the old account is closed and a
    new current one opened (registry.history). State moves only through registry.account_flow."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="account_changes")
    old_account = models.ForeignKey("registry.BankAccount", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    new_account = models.ForeignKey("registry.BankAccount", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    kind = models.CharField("账户类型", max_length=12, choices=AccountKind.choices, default=AccountKind.SSC)
    bank = models.CharField("开户银行", max_length=60)
    number_enc = models.TextField("新账号(密文)")
    number_bidx = BlindIndexField()
    number_masked = models.CharField("新账号", max_length=40)
    holder_name = models.CharField("账户户名", max_length=100)
    reason = models.CharField("变更原因", max_length=200)
    effective_date = models.DateField("生效日期")
    state = models.CharField("状态", max_length=10, choices=AccountChangeState.choices,
                             default=AccountChangeState.PENDING, db_index=True)
    attachment_name = models.CharField("附件", max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    attachment_enc = models.BinaryField(blank=True, default=b"")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField("审核意见", max_length=200, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "账户变更申请"

    def __str__(self) -> str:
        return f"账户变更申请 #{self.pk}"

    def attachment(self) -> bytes:
        from yikatong.core import sealed

        return sealed.unseal(self.attachment_enc, purpose=CHANGE_ATTACHMENT_PURPOSE, sha256=self.attachment_sha256)
