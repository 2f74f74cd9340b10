"""年终清算: the unspent balance of a quota and year recovered to the treasury."""
from django.db import models


class Clearing(models.Model):
    """年终清算 of one quota and year (seed 004 §四): the unspent balance recovered to the treasury.

    Figures in fen as they stood when cleared: received − passed down − paid = recovered (nothing
    may be in flight). One clearing per quota and year, never repeated."""

    quota = models.ForeignKey("funds.FundQuota", on_delete=models.PROTECT, related_name="+", verbose_name="资金指标")
    year = models.PositiveSmallIntegerField("清算年度")
    received_fen = models.BigIntegerField("指标金额（分）")
    passed_down_fen = models.BigIntegerField("已分配下级（分）")
    paid_fen = models.BigIntegerField("已支付（分）")
    recovered_fen = models.BigIntegerField("结余收回（分）")
    note = models.CharField("说明", max_length=200, blank=True)
    cleared_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="清算人")
    cleared_at = models.DateTimeField("清算时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "quota_id"]
        verbose_name = "年终清算"
        constraints = [
            models.UniqueConstraint(fields=["quota", "year"], name="clearing_once_per_quota_year"),
            models.CheckConstraint(
                condition=models.Q(recovered_fen=models.F("received_fen") - models.F("passed_down_fen")
                                   - models.F("paid_fen")) & models.Q(recovered_fen__gte=0),
                name="clearing_figures_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年清算 · 指标 {self.quota_id}"
