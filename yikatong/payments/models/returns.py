"""Failed funds returned through the original channel (失败资金原渠道退回) with the bank's receipt (回单)."""
from django.db import models

from .orders import PaymentOrder


class FundReturn(models.Model):
    """The bank's return of an answered order's failed lines to the payer account, once per order.

    `amount_fen` equals, when recorded, the failed lines of the order not yet reissued (payments.returns);
    the receipt (回单) is sealed at rest (RECEIPT_PURPOSE), its type sniffed from the bytes."""

    order = models.OneToOneField(PaymentOrder, on_delete=models.PROTECT, related_name="fund_return",
                                 verbose_name="支付申请")
    amount_fen = models.BigIntegerField("退回金额（分）")
    returned_on = models.DateField("退回日期")
    line_count = models.PositiveIntegerField("退回笔数")
    on_behalf = models.BooleanField("财政代银行登记", default=False)
    receipt_name = models.CharField("回单文件名", max_length=100)
    receipt_type = models.CharField("回单类型", max_length=100)
    receipt_size = models.PositiveIntegerField("回单字节数")
    receipt_sha256 = models.CharField("回单 SHA-256", max_length=64)
    receipt_enc = models.BinaryField("回单内容（密文）")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = "失败资金退回"
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="fundreturn_amount_positive")]

    def __str__(self) -> str:
        return f"{self.order.batch_no} 退回 {self.amount_fen} 分"

    def receipt(self) -> bytes:
        from yikatong.core import sealed

        from ..exchange.storage import RECEIPT_PURPOSE

        return sealed.unseal(self.receipt_enc, purpose=RECEIPT_PURPOSE, sha256=self.receipt_sha256)
