"""调整变更申请 (seed 001 附件2): add, change or retire a policy of a published catalogue.

The approval chain comes from the local profile (LocalProfile.change_request_chain) and is
copied into ChangeRequestStep rows when the request is filed, so a later profile change does not
alter requests in flight.
"""
from django.conf import settings
from django.db import models

from yikatong.accounts.models import Organization
from yikatong.regions.models import Region

from .catalogue import PolicyCatalogue


class ChangeKind(models.TextChoices):
    ADD = "add", "新增补贴项目"
    CHANGE = "change", "调整补贴项目"
    RETIRE = "retire", "取消补贴项目"


class ChangeState(models.TextChoices):
    PENDING = "pending", "审批中"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class StepDecision(models.TextChoices):
    APPROVED = "approved", "同意"
    REJECTED = "rejected", "不同意"


class PolicyChangeRequest(models.Model):
    catalogue = models.ForeignKey(
        PolicyCatalogue, on_delete=models.PROTECT, related_name="change_requests", verbose_name="申请时的清单版本"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("变更类型", max_length=10, choices=ChangeKind.choices)
    policy_code = models.CharField("政策统一代码", max_length=30)
    policy_name = models.CharField("政策名称", max_length=100)
    proposed = models.JSONField("变更后内容", null=True, blank=True)
    reason = models.TextField("变更理由")
    attachment = models.FileField("申请表及文件扫描件", upload_to="policies/changes/%Y/", blank=True)
    applicant = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="申请单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    state = models.CharField("状态", max_length=10, choices=ChangeState.choices, default=ChangeState.PENDING)
    current_step = models.PositiveSmallIntegerField("当前审批环节", default=0)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    result_catalogue = models.ForeignKey(
        PolicyCatalogue, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="生成的清单版本"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "补贴项目调整变更申请"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.policy_name}（{self.policy_code}）"

    @property
    def number(self) -> str:
        return f"BG{self.year}-{self.pk:05d}"


class ChangeRequestStep(models.Model):
    request = models.ForeignKey(PolicyChangeRequest, on_delete=models.PROTECT, related_name="steps")
    index = models.PositiveSmallIntegerField("环节序号")
    level = models.PositiveSmallIntegerField("审批层级")
    org_kind = models.CharField("审批单位类型", max_length=30)
    label = models.CharField("审批环节", max_length=50)
    decision = models.CharField("意见", max_length=10, choices=StepDecision.choices, blank=True)
    comment = models.TextField("审批意见/驳回理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request_id", "index"]
        verbose_name = "变更审批环节"
        constraints = [models.UniqueConstraint(fields=["request", "index"], name="policies_change_step_uniq")]

    def __str__(self) -> str:
        return f"{self.index + 1}. {self.label}"
