"""A monitoring report of one month by one organization (a line department or the county finance bureau).

The draft's `content` is refilled from the data each time it is built; remarks are the staff's. At approval
the content and remarks are frozen (`frozen`, with its SHA-256) and nothing changes any more; exports are
made from the frozen JSON only. The state moves only through reports.flow (core.statemachine)."""
from django.conf import settings
from django.db import models


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿（自动生成）"
    SUBMITTED = "submitted", "已报送，待审核"
    APPROVED = "approved", "已审核（锁定）"
    SENT_UP = "sent_up", "已上报上级"


class MonitoringReport(models.Model):
    definition = models.CharField("报表", max_length=40)  # core.profiles.ReportSpec.code
    title = models.CharField("报表名称", max_length=100)
    level = models.CharField("填报层级", max_length=12)  # "department" | "county" (ReportSpec.level)
    next_level = models.CharField("报送对象", max_length=60, blank=True)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name="填报单位")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    due_on = models.DateField("报送期限")
    state = models.CharField("状态", max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    content = models.JSONField("报表内容", default=dict)
    built_at = models.DateTimeField("生成时间")
    remarks = models.TextField("填报说明", blank=True)
    returned_reason = models.TextField("退回理由", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="报送人")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="审核人")
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    frozen = models.JSONField("锁定内容", null=True, blank=True)
    frozen_sha256 = models.CharField("锁定内容 SHA-256", max_length=64, blank=True)
    sent_up_at = models.DateTimeField("上报时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-year", "-month", "definition", "organization_id"]
        verbose_name = "监测报表"
        constraints = [
            models.UniqueConstraint(fields=["definition", "organization", "year", "month"],
                                    name="reports_one_per_org_month"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.period}"

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"
