"""What the simulated bank remembers: batch numbers received, items processed, files answered.

This is the SIMULATOR's own memory (a real bank keeps its own); nothing in Yikatong proper reads it.
"""
from django.db import models

from yikatong.core.money import Money


class SimReceivedBatch(models.Model):
    """A batch number the simulated bank has seen; a second file with it is rejected with F03."""

    bank_code = models.CharField("银行编码", max_length=20)
    batch_no = models.CharField("批次号", max_length=30)
    received_at = models.DateTimeField("首次收到", auto_now_add=True)

    class Meta:
        verbose_name = "模拟器：已收批次"
        constraints = [models.UniqueConstraint(fields=["bank_code", "batch_no"], name="banksim_unique_batch")]

    def __str__(self) -> str:
        return f"{self.bank_code} {self.batch_no}"


class SimPaidItem(models.Model):
    """An item_ref the simulated bank has processed (paid, or failed); seen again it answers E08."""

    bank_code = models.CharField("银行编码", max_length=20)
    item_ref = models.CharField("明细编号", max_length=100)
    batch_no = models.CharField("批次号", max_length=30)
    seq = models.PositiveIntegerField("序号")
    amount_fen = models.BigIntegerField("金额（分）")
    status = models.CharField("状态", max_length=1)  # S paid, F failed
    reason_code = models.CharField("失败原因代码", max_length=3, blank=True)
    bank_txn_id = models.CharField("银行流水号", max_length=60, blank=True)
    done_at = models.DateTimeField("完成时间")

    class Meta:
        verbose_name = "模拟器：已处理明细"
        constraints = [models.UniqueConstraint(fields=["bank_code", "item_ref"], name="banksim_unique_item_ref")]

    def __str__(self) -> str:
        return f"{self.bank_code} {self.item_ref}"


class SimReceivedFile(models.Model):
    """One payment file the simulated bank took from the outbox, and how it answered."""

    bank_code = models.CharField("银行编码", max_length=20, db_index=True)
    batch_no = models.CharField("批次号", max_length=30)
    filename = models.CharField("收到的文件", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("字节数")
    received_at = models.DateTimeField("收到时间", auto_now_add=True)
    answer_kind = models.CharField("应答类型", max_length=1)  # R result, X rejection
    answer_filename = models.CharField("应答文件", max_length=100)
    rejection_code = models.CharField("拒收代码", max_length=3, blank=True)
    rejection_text = models.CharField("拒收说明", max_length=300, blank=True)
    ok_count = models.PositiveIntegerField("成功笔数", default=0)
    ok_fen = models.BigIntegerField("成功金额（分）", default=0)
    fail_count = models.PositiveIntegerField("失败笔数", default=0)
    fail_fen = models.BigIntegerField("失败金额（分）", default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "模拟器：收到的文件"

    def __str__(self) -> str:
        return self.filename

    @property
    def ok_yuan(self) -> str:
        return Money(self.ok_fen).format()

    @property
    def fail_yuan(self) -> str:
        return Money(self.fail_fen).format()
