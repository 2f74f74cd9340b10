"""A disbursement batch (发放批次): one policy, one period, one township (or department)."""
from django.conf import settings
from django.db import models

from yikatong.regions.models import Region


class BatchKind(models.TextChoices):
    NORMAL = "normal", "正常发放"
    REISSUE = "reissue", "补发"


class BatchState(models.TextChoices):
    """The states of the disbursement cycle (DESIGN §3); rosters.flows declares how a batch moves
    between them and rosters.transitions.batch_transition is the only writer."""

    DRAFT = "draft", "草稿（经办站所编制）"
    VERIFYING = "verifying", "乡镇入户核实"
    DRAFT_VERIFIED = "draft_verified", "核实完成，待提交比对"
    COMPARING = "comparing", "财政所复核比对"
    COMPARED = "compared", "比对通过，待上报主管部门"
    DEPT_REVIEW = "dept_review", "主管部门审核"
    NOTICE = "notice", "公示中"
    NOTICE_DONE = "notice_done", "公示结束，待财政所导入再次上报"
    DEPT_APPROVAL = "dept_approval", "主管部门审批（汇总表）"
    FINANCE_REVIEW = "finance_review", "财政程序性复核"
    APPROVED = "approved", "财政审核通过，待支付"
    PAYING = "paying", "支付中"
    PAID = "paid", "已发放"
    PARTLY_FAILED = "partly_failed", "部分发放失败"
    CLOSED = "closed", "已办结"


class Batch(models.Model):
    code = models.CharField("批次号", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=10, choices=BatchKind.choices, default=BatchKind.NORMAL)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reissues",
                               verbose_name="原批次")
    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT, related_name="batches", verbose_name="补贴项目")
    period = models.CharField("发放期间", max_length=10, help_text="2026-11、2026Q4 或 2026")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="发放乡镇(或县)")
    department = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+",
                                    verbose_name="主管部门")
    profile_code = models.CharField("流程配置", max_length=3)
    state = models.CharField("状态", max_length=20, choices=BatchState.choices, default=BatchState.DRAFT,
                             db_index=True)  # written only by rosters.transitions.batch_transition
    state_since = models.DateTimeField("进入当前状态时间")
    due_date = models.DateField("当前环节期限", null=True, blank=True)
    item_count = models.PositiveIntegerField("人数", default=0)
    total_fen = models.BigIntegerField("金额(分)", default=0)
    import_job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)  # bumped on every transition (optimistic checks)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "发放批次"
        indexes = [models.Index(fields=["policy", "period"], name="rosters_batch_policy_period")]
        constraints = [  # the database refuses a state the cycle does not declare
            models.CheckConstraint(condition=models.Q(state__in=BatchState.values), name="rosters_batch_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.region.name} {self.period}"


class BatchEvent(models.Model):
    """The batch timeline: who did what, when, with which reason."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("动作", max_length=40)
    label = models.CharField("说明", max_length=100)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("意见/理由", blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "批次流转记录"
