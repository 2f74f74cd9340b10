"""Agent banks, their agreements, the bank files exchanged with them, and batch numbers.

Writes go through yikatong.payments.exchange.services; the file formats live in
yikatong.payments.exchange (specs/bank-exchange.md).
"""
import base64

from django.core.validators import RegexValidator
from django.db import models

from yikatong.accounts.models import Organization, OrgKind
from yikatong.core import crypto

from .exchange.mac import ALGORITHMS


class AgentBank(models.Model):
    """代发金融机构: a bank that pays on the county's behalf; `code` appears in every file name."""

    code = models.CharField(
        "银行编码", max_length=20, unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z]{1,20}$", "银行编码只能由字母和数字组成")],
    )
    name = models.CharField("名称", max_length=100)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="agent_banks", verbose_name="对应单位",
        limit_choices_to={"kind": OrgKind.AGENT_BANK},
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "代发金融机构"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class BankAgreement(models.Model):
    """代发协议 (in seed 003 the three-party agreement finance bureau – department – bank).

    The payer account and the MAC key are stored encrypted (core.crypto); only the last four
    digits of the account are kept in clear, for screens.
    """

    bank = models.ForeignKey(AgentBank, on_delete=models.PROTECT, related_name="agreements", verbose_name="代发银行")
    payer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="bank_agreements", verbose_name="付款单位（财政局）"
    )
    department = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="业务主管部门（三方协议的第三方）",
    )
    payer_account_encrypted = models.TextField("付款账号（加密）")
    payer_account_last4 = models.CharField("付款账号后四位", max_length=4)
    payer_name = models.CharField("付款户名", max_length=100)
    mac_key_encrypted = models.TextField("MAC 密钥（加密）")
    mac_alg = models.CharField("MAC 算法", max_length=20, choices=[(a, a) for a in ALGORITHMS])
    pay_within_working_days = models.PositiveSmallIntegerField("发放时限（工作日）", null=True, blank=True)
    report_within_days = models.PositiveSmallIntegerField("反馈时限（日）", null=True, blank=True)
    document = models.FileField("协议文本", upload_to="payments/agreements/%Y/", blank=True)
    document_sha256 = models.CharField("协议文本摘要（SHA-256）", max_length=64, blank=True)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["bank_id", "-valid_from"]
        verbose_name = "代发协议"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="bankagreement_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank} · 付款账号尾号 {self.payer_account_last4}"

    @property
    def payer_account(self) -> str:
        return crypto.decrypt(self.payer_account_encrypted)

    def mac_key(self) -> bytes:
        return base64.b64decode(crypto.decrypt(self.mac_key_encrypted))

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


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
    content = models.BinaryField("文件内容")
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("字节数")
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
