"""Agent banks and their agreements (代发协议) with the signed text.

Writes go through yikatong.payments.banks."""
import base64

from django.core.validators import RegexValidator
from django.db import models

from yikatong.accounts.models import Organization, OrgKind
from yikatong.core import crypto

from ..exchange.mac import ALGORITHMS


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
    # the signed text itself is an AgreementDocument (sealed at rest, in a table of its own so that no
    # query of agreements or orders ever carries its bytes); its digest is kept here for the audit trail
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


class AgreementDocument(models.Model):
    """The signed text of an agreement (in seed 003 the three-party agreement): sealed at rest
    (core.sealed, exchange/storage.AGREEMENT_PURPOSE), its type sniffed from the bytes. Served
    decrypted only to finance, treasury, supervisors and admins of the payer's region (selectors)."""

    agreement = models.OneToOneField(BankAgreement, on_delete=models.PROTECT, related_name="signed_text",
                                     verbose_name="代发协议")
    filename = models.CharField("文件名", max_length=100)
    content_type = models.CharField("类型", max_length=100, blank=True)  # "" when outside the whitelist (legacy)
    size = models.PositiveIntegerField("字节数")
    sha256 = models.CharField("SHA-256", max_length=64)
    content_enc = models.BinaryField("文件内容（密文）")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "代发协议文本"

    def __str__(self) -> str:
        return self.filename

    def data(self) -> bytes:
        """The signed text as uploaded, checked against its recorded digest."""
        from yikatong.core import sealed

        from ..exchange.storage import AGREEMENT_PURPOSE

        return sealed.unseal(self.content_enc, purpose=AGREEMENT_PURPOSE, sha256=self.sha256)
