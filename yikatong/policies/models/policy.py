"""One policy (补贴政策/项目) on one catalogue version: everything DESIGN §2 lists.

Rows are copied into every new catalogue version, so a row never changes once its catalogue is
published; the unified `code` is the identity across versions and years.
"""
from django.db import models
from django.db.models import F, Q

from yikatong.accounts.models import Organization

from ..choices import FULL_SHARE_BP, Carrier, Disburser, Frequency, Intake, Line, TargetGroup, Unit
from .catalogue import PolicyCatalogue


class Policy(models.Model):
    catalogue = models.ForeignKey(PolicyCatalogue, on_delete=models.PROTECT, related_name="policies", verbose_name="清单")
    code = models.CharField("统一代码", max_length=30)
    name = models.CharField("政策名称", max_length=100, help_text="省级统一名称，银行代发和短信告知使用此名称")
    local_name = models.CharField("本地名称", max_length=100, blank=True)
    department = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="主管部门")
    line = models.CharField("业务条线", max_length=10, choices=Line.choices)
    target_group = models.CharField("补贴对象类别", max_length=20, choices=TargetGroup.choices)
    target_description = models.TextField("补贴对象", blank=True)
    unit = models.CharField("计量单位", max_length=10, choices=Unit.choices, default=Unit.PERSON)
    rate_fen = models.BigIntegerField("补贴标准(分/单位)", null=True, blank=True)
    tier_basis = models.CharField("分档依据", max_length=50, blank=True, help_text="如：残疾等级、年龄段")
    standard_note = models.CharField("标准说明", max_length=200, blank=True)
    frequency = models.CharField("发放频次", max_length=10, choices=Frequency.choices)
    share_central_bp = models.PositiveIntegerField("中央承担(万分比)", default=0)
    share_province_bp = models.PositiveIntegerField("省级承担(万分比)", default=0)
    share_prefecture_bp = models.PositiveIntegerField("市(州)级承担(万分比)", default=0)
    share_county_bp = models.PositiveIntegerField("县级承担(万分比)", default=0)
    disburser = models.CharField("发放单位", max_length=12, choices=Disburser.choices, default=Disburser.TOWNSHIP)
    carrier = models.CharField("发放载体", max_length=12, choices=Carrier.choices, default=Carrier.SOCIAL_SECURITY_CARD)
    confidential = models.BooleanField("涉密（不公开）", default=False)
    means_tested = models.BooleanField("须经济状况核查", default=False)
    exclusive_codes = models.JSONField("互斥政策代码", default=list, blank=True)
    age_min = models.PositiveSmallIntegerField("最低年龄", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("最高年龄", null=True, blank=True)
    residence_required = models.BooleanField("须在本区划居住/户籍", default=True)
    intake = models.CharField("受理方式", max_length=12, choices=Intake.choices, default=Intake.ROSTER)
    democratic_review = models.BooleanField("村级须民主评议", default=False)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="上一版本"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "补贴政策"
        verbose_name_plural = "补贴政策"
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="policies_code_per_catalogue"),
            models.CheckConstraint(
                condition=Q(
                    share_central_bp=FULL_SHARE_BP - F("share_province_bp") - F("share_prefecture_bp") - F("share_county_bp")
                ),
                name="policies_shares_sum_100",
            ),
            models.CheckConstraint(condition=Q(rate_fen__isnull=True) | Q(rate_fen__gte=0), name="policies_rate_not_negative"),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_min__lte=F("age_max")),
                name="policies_age_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_tiered(self) -> bool:
        return self.rate_fen is None


class PolicyTier(models.Model):
    """A tier of the standard (分档标准), e.g. disability grade 一级, or the age band 90-99."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="tiers")
    key = models.CharField("档次代码", max_length=20)
    label = models.CharField("档次名称", max_length=50)
    rate_fen = models.BigIntegerField("标准(分/单位)")
    age_min = models.PositiveSmallIntegerField("年龄下限", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("年龄上限", null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "分档标准"
        constraints = [
            models.UniqueConstraint(fields=["policy", "key"], name="policies_tier_key_uniq"),
            models.CheckConstraint(condition=Q(rate_fen__gte=0), name="policies_tier_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return self.label


class PolicyBasis(models.Model):
    """A legal basis document (政策依据): 文号, title, date, optional scanned file."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="basis_documents")
    number = models.CharField("文号", max_length=100)
    title = models.CharField("文件名称", max_length=200)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    file = models.FileField("文件", upload_to="policies/basis/%Y/", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "政策依据"

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"
