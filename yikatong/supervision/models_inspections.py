"""Inspections (抽查): a sampling plan over the paid roster items of a region and period, the items drawn
(reproducible from the recorded seed), and the result of checking each by phone, home visit or documents
(seeds 001/002: 事中随机抽查; 003: 电话抽查、实地入户走访, quarterly checks of monthly payments).

A plan moves draft → drawn → in_progress → done only through supervision.inspections.MACHINE."""
from django.conf import settings
from django.db import models


class PlanState(models.TextChoices):
    DRAFT = "draft", "草稿"
    DRAWN = "drawn", "已抽取样本"
    IN_PROGRESS = "in_progress", "核查中"
    DONE = "done", "已完成"


class Sampling(models.TextChoices):
    SIMPLE_RANDOM = "simple_random", "简单随机抽样"
    RISK_WEIGHTED = "risk_weighted", "按风险加权抽样"


class Method(models.TextChoices):
    PHONE = "phone", "电话抽查"
    VISIT = "visit", "实地入户走访"
    DOCUMENTS = "documents", "查阅资料"


class Outcome(models.TextChoices):
    PASS = "pass", "相符"
    FAIL = "fail", "不相符"
    UNREACHABLE = "unreachable", "联系不上"


class InspectionPlan(models.Model):
    """One sampling plan, e.g. 2026Q3 phone checks of county 141024's monthly payments, 20 items, seed 8127…."""

    plan_no = models.CharField("计划编号", max_length=40, unique=True)
    title = models.CharField("名称", max_length=100)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="抽查范围")
    policy = models.ForeignKey("policies.Policy", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="补贴项目")
    period = models.CharField("抽查期间", max_length=10, help_text="2026-11、2026Q3 或 2026")
    periods = models.JSONField("覆盖的发放期间", default=list)  # the batch periods the population is drawn from
    methods = models.JSONField("抽查方式", default=list)  # Method values
    sampling = models.CharField("抽样方法", max_length=15, choices=Sampling.choices)
    sample_size = models.PositiveIntegerField("样本量")
    seed = models.BigIntegerField("随机种子", null=True, blank=True)  # recorded at the draw
    population = models.PositiveIntegerField("总体数量", default=0)
    population_digest = models.CharField("总体摘要", max_length=64, blank=True)  # sha256 of (item, weight) drawn from
    state = models.CharField("状态", max_length=15, choices=PlanState.choices, default=PlanState.DRAFT)
    schedule_key = models.CharField("定时任务键", max_length=40, null=True, blank=True, unique=True)  # county:quarter
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # None: the quarterly schedule
    created_at = models.DateTimeField("创建时间")
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "抽查计划"

    def __str__(self) -> str:
        return self.plan_no

    def method_labels(self) -> str:
        return "、".join(Method(m).label for m in self.methods if m in Method.values)


class InspectionSample(models.Model):
    """One drawn roster item, in the order drawn (rank 1 first)."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="samples")
    item = models.ForeignKey("rosters.BatchItem", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField("抽取顺序")
    person_masked = models.CharField("对象(脱敏)", max_length=60)
    weight = models.FloatField("权重", default=1.0)
    reasons = models.JSONField("风险因素", default=list, blank=True)

    class Meta:
        ordering = ["plan", "rank"]
        verbose_name = "抽查样本"
        constraints = [models.UniqueConstraint(fields=["plan", "item"], name="inspection_sample_once"),
                       models.UniqueConstraint(fields=["plan", "rank"], name="inspection_sample_rank")]

    def __str__(self) -> str:
        return f"{self.plan.plan_no} #{self.rank}"


class InspectionResult(models.Model):
    """The result of checking one sample (one per sample); a failed check links the finding it opened."""

    sample = models.OneToOneField(InspectionSample, on_delete=models.PROTECT, related_name="result")
    method = models.CharField("核查方式", max_length=10, choices=Method.choices)
    outcome = models.CharField("核查结果", max_length=12, choices=Outcome.choices)
    notes = models.TextField("情况说明", blank=True)
    finding = models.ForeignKey("checks.Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "抽查结果"

    def __str__(self) -> str:
        return f"{self.sample} {self.get_outcome_display()}"


class InspectionEvidence(models.Model):
    """A file backing a result (call record, visit photo, signed form), sealed (core.sealed) in the database."""

    result = models.ForeignKey(InspectionResult, on_delete=models.PROTECT, related_name="evidence")
    filename = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content_enc = models.BinaryField()

    class Meta:
        ordering = ["pk"]
        verbose_name = "抽查证据"

    def __str__(self) -> str:
        return self.filename
