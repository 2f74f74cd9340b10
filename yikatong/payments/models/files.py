"""The bank files exchanged with the banks, byte for byte, and the batch numbers they carry.

The file formats live in yikatong.payments.exchange (specs/bank-exchange.md)."""
from django.db import models

from .banks import AgentBank


class Direction(models.TextChoices):
    OUT = "out", "发出"
    IN = "in", "收到"


class FileKind(models.TextChoices):
    PAYMENT = "P", "代发明细"
    RESULT = "R", "回盘"
    REJECTION = "X", "整批拒收"


class BankFile(models.Model):
    """Every file sent to or received from a bank, byte for byte, with its SHA-256.

    Unique (kind, filename): a batch's file is sent once and its answer taken once. Unique
    (direction, sha256): the same bytes arriving again under another name is a replay.
    """

    direction = models.CharField("方向", max_length=3, choices=Direction.choices)
    kind = models.CharField("类型", max_length=1, choices=FileKind.choices)
    bank = models.ForeignKey(AgentBank, on_delete=models.PROTECT, related_name="files", verbose_name="代发银行")
    batch_no = models.CharField("批次号", max_length=30, db_index=True)
    filename = models.CharField("文件名", max_length=100)
    # Encrypted at rest (core.crypto Vault, AES-GCM); read it only through `data()`. `sha256` and
    # `size` are of the plaintext, so digests still verify against what was sent or received.
    content = models.BinaryField("文件内容（密文）")
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("字节数")
    # Set when the file was refused but kept as evidence (e.g. an unauthenticated X arriving after the
    # batch's authenticated R, payments.ingest): it answers nothing and changed nothing.
    refusal_code = models.CharField("拒收原因代码", max_length=60, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "银行文件"
        constraints = [
            models.UniqueConstraint(fields=["kind", "filename"], name="bankfile_unique_kind_filename"),
            models.UniqueConstraint(fields=["direction", "sha256"], name="bankfile_unique_direction_digest"),
            models.CheckConstraint(
                condition=(models.Q(direction="out", kind="P") | models.Q(direction="in", kind__in=["R", "X"])),
                name="bankfile_direction_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    def data(self) -> bytes:
        """The file's bytes as sent or received: the one reader of `content`."""
        from ..exchange.storage import open_content

        return open_content(self.content)


class BatchNumberSequence(models.Model):
    """The last batch number handed out per county and year; numbers are never reused."""

    county_code = models.CharField("县级区划代码", max_length=6)
    year = models.PositiveSmallIntegerField("年度")
    last_value = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "批次号序列"
        constraints = [
            models.UniqueConstraint(fields=["county_code", "year"], name="batchnumber_unique_county_year"),
        ]

    def __str__(self) -> str:
        return f"{self.county_code}-{self.year}: {self.last_value}"
