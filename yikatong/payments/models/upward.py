"""The upward exchange (上报省级平台/直达资金监控系统): one export of a county's payment lines of a month.

Each run writes a new version (never replacing an older one): the CSV and the JSON file, both sealed
(core.sealed, UPWARD_PURPOSE: the files carry full ID numbers), with the SHA-256 and size of each
plaintext and the manifest figures. Format: docs/exchange/upward.md."""
from django.db import models


class UpwardExport(models.Model):
    county = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="县级区划")
    period = models.CharField("支付月份", max_length=7, help_text="YYYY-MM，按支付申请的业务日期")
    version = models.PositiveIntegerField("版本")
    row_count = models.PositiveIntegerField("明细笔数")
    total_fen = models.BigIntegerField("金额合计（分）")
    paid_count = models.PositiveIntegerField("成功笔数")
    paid_fen = models.BigIntegerField("成功金额（分）")
    failed_count = models.PositiveIntegerField("失败笔数（含已退回）")
    failed_fen = models.BigIntegerField("失败金额（分，含已退回）")
    returned_count = models.PositiveIntegerField("已原渠道退回笔数")
    returned_fen = models.BigIntegerField("已原渠道退回金额（分）")
    csv_enc = models.BinaryField("CSV 文件（密文）")
    csv_sha256 = models.CharField("CSV SHA-256", max_length=64)
    csv_size = models.PositiveBigIntegerField("CSV 字节数")
    json_enc = models.BinaryField("JSON 文件（密文）")
    json_sha256 = models.CharField("JSON SHA-256", max_length=64)
    json_size = models.PositiveBigIntegerField("JSON 字节数")
    made_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name="生成人（空：定时任务）")
    made_at = models.DateTimeField("生成时间")

    class Meta:
        ordering = ["-period", "county_id", "-version"]
        verbose_name = "上报数据文件"
        constraints = [
            models.UniqueConstraint(fields=["county", "period", "version"], name="upwardexport_unique_version"),
            models.CheckConstraint(condition=models.Q(total_fen=models.F("paid_fen") + models.F("failed_fen")),
                                   name="upwardexport_total_is_paid_plus_failed"),
        ]

    def __str__(self) -> str:
        return f"{self.county_id[:6]} {self.period} 第 {self.version} 版"

    def filename(self, fmt: str) -> str:
        return f"YKTUP_{self.county_id[:6]}_{self.period.replace('-', '')}_v{self.version}.{fmt}"

    def data(self, fmt: str) -> bytes:
        """The plaintext of the CSV or JSON file, checked against its recorded digest."""
        from yikatong.core import sealed

        from ..upward_format import PURPOSE

        if fmt == "csv":
            return sealed.unseal(self.csv_enc, purpose=PURPOSE, sha256=self.csv_sha256)
        if fmt == "json":
            return sealed.unseal(self.json_enc, purpose=PURPOSE, sha256=self.json_sha256)
        raise ValueError(fmt)
