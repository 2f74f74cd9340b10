"""Fund quotas (资金指标) received from above, their allocation downward, and what is drawn on them.

balance = received − allocated − committed − paid, never negative. The three drawn amounts live
on the quota row and change only by conditional UPDATE (services/ledger.py); a database check
constraint backs the rule up. Every change is also a FundMovement row (the ledger).
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from yikatong.accounts.models import Organization
from yikatong.regions.models import Region


class IssuingLevel(models.TextChoices):
    CENTRAL = "central", "中央"
    PROVINCE = "province", "省级"
    PREFECTURE = "prefecture", "市(州)级"
    COUNTY = "county", "县级"


# Fund-source amount fields of a quota, with their labels (same order as policies' shares).
SOURCE_FIELDS = (
    ("central_fen", "中央资金"),
    ("province_fen", "省级资金"),
    ("prefecture_fen", "市(州)级资金"),
    ("county_fen", "县级资金"),
)


class FundQuota(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="接收区划")
    holder = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="指标所在部门", help_text="下达到本级主管部门的指标记在该部门名下",
    )
    doc_number = models.CharField("指标文号", max_length=100)
    title = models.CharField("文件标题", max_length=200, blank=True)
    issuing_level = models.CharField("下达层级", max_length=12, choices=IssuingLevel.choices)
    issuer_name = models.CharField("下达单位", max_length=100, blank=True)
    received_on = models.DateField("收到日期")
    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT, related_name="+", verbose_name="补贴项目")
    policy_code = models.CharField("补贴项目代码", max_length=30, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    direct_to_county = models.BooleanField("省级直接分配到县", default=False)
    central_fen = models.BigIntegerField("中央资金(分)", default=0)
    province_fen = models.BigIntegerField("省级资金(分)", default=0)
    prefecture_fen = models.BigIntegerField("市(州)级资金(分)", default=0)
    county_fen = models.BigIntegerField("县级资金(分)", default=0)
    received_fen = models.BigIntegerField("指标金额(分)")
    allocated_fen = models.BigIntegerField("已分配(分)", default=0)
    committed_fen = models.BigIntegerField("已占用(分)", default=0)
    paid_fen = models.BigIntegerField("已支付(分)", default=0)
    source_allocation = models.OneToOneField(
        "FundAllocation", null=True, blank=True, on_delete=models.PROTECT, related_name="child_quota",
        verbose_name="来源分配",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-received_on", "-pk"]
        verbose_name = "资金指标"
        constraints = [
            models.CheckConstraint(
                condition=Q(central_fen__gte=0, province_fen__gte=0, prefecture_fen__gte=0, county_fen__gte=0),
                name="funds_sources_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(received_fen=F("central_fen") + F("province_fen") + F("prefecture_fen") + F("county_fen")),
                name="funds_received_is_sum_of_sources",
            ),
            models.CheckConstraint(
                condition=Q(allocated_fen__gte=0, committed_fen__gte=0, paid_fen__gte=0), name="funds_drawn_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(received_fen__gte=F("allocated_fen") + F("committed_fen") + F("paid_fen")),
                name="funds_balance_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.policy.name}"

    @property
    def balance_fen(self) -> int:
        return self.received_fen - self.allocated_fen - self.committed_fen - self.paid_fen


class AllocationState(models.TextChoices):
    PLANNED = "planned", "待下达"
    ISSUED = "issued", "已下达"
    CANCELLED = "cancelled", "已撤销"


class FundAllocation(models.Model):
    """Part of a quota passed down to a lower region or to a department, with a deadline."""

    quota = models.ForeignKey(FundQuota, on_delete=models.PROTECT, related_name="allocations")
    target_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="下达区划"
    )
    target_org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="下达部门"
    )
    amount_fen = models.BigIntegerField("金额(分)")
    deadline = models.DateField("下达期限", null=True, blank=True)
    state = models.CharField("状态", max_length=10, choices=AllocationState.choices, default=AllocationState.PLANNED)
    doc_number = models.CharField("下达文号", max_length=100, blank=True)
    issued_on = models.DateField("下达日期", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cancel_reason = models.TextField("撤销理由", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quota_id", "pk"]
        verbose_name = "指标分配"
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="funds_allocation_positive"),
            models.CheckConstraint(
                condition=(Q(target_region__isnull=False) & Q(target_org__isnull=True))
                | (Q(target_region__isnull=True) & Q(target_org__isnull=False)),
                name="funds_allocation_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"分配给{self.target_name}"

    @property
    def target_name(self) -> str:
        return str(self.target_region or self.target_org)

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.state == AllocationState.PLANNED and self.deadline is not None and self.deadline < timezone.localdate()


class FundCommitment(models.Model):
    """Money reserved on a quota for one payment (ref, e.g. a batch code), then paid or released."""

    quota = models.ForeignKey(FundQuota, on_delete=models.PROTECT, related_name="commitments")
    ref = models.CharField("业务编号", max_length=80)
    committed_fen = models.BigIntegerField("占用金额(分)")
    outstanding_fen = models.BigIntegerField("未结金额(分)")
    paid_fen = models.BigIntegerField("已支付(分)", default=0)
    released_fen = models.BigIntegerField("已释放(分)", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "指标占用"
        constraints = [
            models.UniqueConstraint(fields=["quota", "ref"], name="funds_commitment_ref_uniq"),
            models.CheckConstraint(
                condition=Q(outstanding_fen__gte=0, paid_fen__gte=0, released_fen__gte=0), name="funds_commitment_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(committed_fen=F("outstanding_fen") + F("paid_fen") + F("released_fen")),
                name="funds_commitment_accounted",
            ),
        ]


class MovementKind(models.TextChoices):
    ALLOCATE = "allocate", "分配"
    DEALLOCATE = "deallocate", "撤销分配"
    COMMIT = "commit", "占用"
    PAY = "pay", "支付"
    RELEASE = "release", "释放占用"
    RETURN = "return", "失败资金原渠道退回"  # cash back in the treasury account: no balance changes (released at the answer)
    RECOVERY = "recovery", "违规资金追回"  # an improper payment repaid (supervision.Recovery): paid goes down, balance up


class FundMovement(models.Model):
    """The quota ledger: every change of allocated/committed/paid, in order."""

    quota = models.ForeignKey(FundQuota, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField("类型", max_length=12, choices=MovementKind.choices)
    amount_fen = models.BigIntegerField("金额(分)")
    ref = models.CharField("业务编号", max_length=80, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quota_id", "pk"]
        verbose_name = "指标变动"
