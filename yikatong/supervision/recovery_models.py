"""Accountability (追回/问责, issue 16 §4): the recovery of an improper payment, its repayments, and the
handling/sanction records (处理处分) of a recovery or a clue. Imported by supervision.models."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q


class RecoveryState(models.TextChoices):
    OPEN = "open", "待追回"
    PARTLY_REPAID = "partly_repaid", "部分追回"
    REPAID = "repaid", "已追回"
    WRITTEN_OFF = "written_off", "已核销"


class RecoveryNumberSequence(models.Model):
    """The last recovery number handed out per county and year; never reused."""

    county_code = models.CharField("县级区划代码", max_length=6)
    year = models.PositiveSmallIntegerField("年度")
    last_value = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "追回编号序列"
        constraints = [models.UniqueConstraint(fields=["county_code", "year"], name="recoverynumber_unique_county_year")]


class Recovery(models.Model):
    """追回: a confirmed finding on a paid item; the payee owes `amount_fen` (≤ what was paid) by `due_on`.
    `fund_ref` names the payment in the quota ledger (funds), where each repayment goes back."""

    recovery_no = models.CharField("追回编号", max_length=30, unique=True)
    finding = models.OneToOneField("checks.Finding", on_delete=models.PROTECT, related_name="recovery",
                                   verbose_name="疑点")
    batch = models.ForeignKey("rosters.Batch", on_delete=models.PROTECT, related_name="+", verbose_name="批次")
    item = models.ForeignKey("rosters.BatchItem", on_delete=models.PROTECT, related_name="+", verbose_name="发放明细")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所属区划")
    clue = models.ForeignKey("supervision.Clue", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="recoveries", verbose_name="移送线索")
    debtor_name = models.CharField("追回对象", max_length=100)  # the payee, shown masked
    paid_fen = models.BigIntegerField("已发放金额(分)")
    amount_fen = models.BigIntegerField("应追回金额(分)")
    repaid_fen = models.BigIntegerField("已追回金额(分)", default=0)
    fund_ref = models.CharField("资金业务编号", max_length=80)
    reason = models.TextField("追回理由")
    due_on = models.DateField("追回期限")
    state = models.CharField("状态", max_length=15, choices=RecoveryState.choices, default=RecoveryState.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField("立案时间")
    write_off_reason = models.TextField("核销理由", blank=True)
    written_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    written_off_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = "违规资金追回"
        indexes = [models.Index(fields=["state", "due_on"], name="supervision_recovery_due")]
        constraints = [
            models.CheckConstraint(name="recovery_amount_within_paid",
                                   condition=Q(amount_fen__gt=0) & Q(amount_fen__lte=F("paid_fen"))),
            models.CheckConstraint(name="recovery_repaid_within_amount",
                                   condition=Q(repaid_fen__gte=0) & Q(repaid_fen__lte=F("amount_fen"))),
        ]

    def __str__(self) -> str:
        return self.recovery_no

    @property
    def outstanding_fen(self) -> int:
        return self.amount_fen - self.repaid_fen

    @property
    def debtor_masked(self) -> str:
        from yikatong.core.masking import mask_name

        return mask_name(self.debtor_name)


class Repayment(models.Model):
    """One repayment (退款) of a recovery with its receipt or voucher number and the evidence, sealed at rest."""

    recovery = models.ForeignKey(Recovery, on_delete=models.PROTECT, related_name="repayments")
    amount_fen = models.BigIntegerField("金额(分)")
    repaid_on = models.DateField("缴回日期")
    voucher_no = models.CharField("缴款凭证号", max_length=60)
    evidence_name = models.CharField("凭证文件名", max_length=100)
    evidence_type = models.CharField("凭证类型", max_length=100)
    evidence_size = models.PositiveIntegerField("凭证字节数")
    evidence_sha256 = models.CharField("凭证 SHA-256", max_length=64)
    evidence_enc = models.BinaryField("凭证内容（密文）")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["repaid_on", "pk"]
        verbose_name = "追回缴款"
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="repayment_amount_positive"),
            models.UniqueConstraint(fields=["recovery", "voucher_no"], name="repayment_voucher_once"),
        ]

    def evidence(self) -> bytes:
        from yikatong.core import sealed

        from .recovery_files import EVIDENCE_PURPOSE

        return sealed.unseal(self.evidence_enc, purpose=EVIDENCE_PURPOSE, sha256=self.evidence_sha256)


class Measure(models.TextChoices):
    CRITICISM = "criticism", "批评教育"
    ADMONITION = "admonition", "诫勉"
    DISCIPLINE = "discipline", "党纪政务处分"
    JUDICIAL = "judicial", "移送司法机关"


class Sanction(models.Model):
    """处理处分: who was held accountable (their role or position, never a name or ID), the measure, the date
    and the document number; of a recovery or of a clue (exactly one)."""

    recovery = models.ForeignKey(Recovery, null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions")
    clue = models.ForeignKey("supervision.Clue", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="sanctions")
    position = models.CharField("被问责人职务/岗位", max_length=100)
    measure = models.CharField("处理方式", max_length=12, choices=Measure.choices)
    decided_on = models.DateField("决定日期")
    doc_number = models.CharField("文书编号", max_length=100)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = "处理处分"
        constraints = [models.CheckConstraint(name="sanction_of_one", condition=(
            Q(recovery__isnull=False, clue__isnull=True) | Q(recovery__isnull=True, clue__isnull=False)))]
