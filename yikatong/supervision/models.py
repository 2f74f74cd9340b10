"""Supervision (监督检查): clues transferred from findings or from complaints of the public (线索移送) and
their follow-up log. supervision sits below disclosure: a complaint's clue names the complaint by its
tracking number (source_ref) and a subject line, never by a foreign key."""
from django.conf import settings
from django.db import models


class ClueState(models.TextChoices):
    TRANSFERRED = "transferred", "已移送"
    INVESTIGATING = "investigating", "核查中"
    CONCLUDED = "concluded", "已办结"


class Conclusion(models.TextChoices):
    SUBSTANTIATED = "substantiated", "属实"
    UNSUBSTANTIATED = "unsubstantiated", "不属实"


class ClueNumberSequence(models.Model):
    """The last case number handed out per county and year; numbers are never reused."""

    county_code = models.CharField("县级区划代码", max_length=6)
    year = models.PositiveSmallIntegerField("年度")
    last_value = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "线索编号序列"
        constraints = [models.UniqueConstraint(fields=["county_code", "year"], name="cluenumber_unique_county_year")]

    def __str__(self) -> str:
        return f"{self.county_code}-{self.year}: {self.last_value}"


class ClueSource(models.TextChoices):
    FINDING = "finding", "比对疑点"
    COMPLAINT = "complaint", "投诉举报"


class Clue(models.Model):
    """One clue per finding or per complaint, e.g. case number XS-141024-2026-000001. A finding's clue has
    `finding`; a complaint's has none, but its tracking number (`source_ref`) and a `subject`."""

    case_no = models.CharField("线索编号", max_length=30, unique=True)
    source = models.CharField("来源", max_length=10, choices=ClueSource.choices, default=ClueSource.FINDING)
    finding = models.OneToOneField("checks.Finding", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="clue")
    source_ref = models.CharField("来源编号", max_length=30, blank=True)  # a complaint's tracking number
    subject = models.CharField("线索摘要", max_length=300, blank=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所属区划")
    state = models.CharField("状态", max_length=15, choices=ClueState.choices, default=ClueState.TRANSFERRED)
    reason = models.TextField("移送理由")
    transferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    transferred_at = models.DateTimeField("移送时间")
    conclusion = models.CharField("核查结论", max_length=15, choices=Conclusion.choices, blank=True)
    conclusion_text = models.TextField("结论说明", blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-transferred_at", "-pk"]
        verbose_name = "移送线索"
        indexes = [models.Index(fields=["state", "transferred_at"], name="supervision_clue_state")]
        constraints = [
            models.CheckConstraint(name="supervision_clue_source_shape", condition=(
                models.Q(source="finding", finding__isnull=False)
                | (models.Q(source="complaint", finding__isnull=True) & ~models.Q(source_ref="")))),
            models.UniqueConstraint(fields=["source", "source_ref"], condition=models.Q(source="complaint"),
                                    name="supervision_clue_one_per_complaint"),
        ]

    def __str__(self) -> str:
        return self.case_no

    @property
    def title(self) -> str:
        """What the clue is about, in one line: the finding's rule, or the complaint's subject."""
        if self.finding_id:
            return self.finding.rule.name
        return self.subject or f"投诉举报 {self.source_ref}"


class EntryKind(models.TextChoices):
    TRANSFER = "transfer", "移送"
    START = "start", "开始核查"
    NOTE = "note", "跟进记录"
    CONCLUDE = "conclude", "办结"


class ClueEntry(models.Model):
    """The follow-up log of a clue: who did what when. Append-only."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField("类型", max_length=10, choices=EntryKind.choices)
    text = models.TextField("内容", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "线索跟进记录"

    def __str__(self) -> str:
        return f"{self.clue.case_no} {self.get_kind_display()}"


from .models_inspections import (  # noqa: E402,F401  (the inspection models are part of this app)
    InspectionEvidence, InspectionPlan, InspectionResult, InspectionSample, Method, Outcome, PlanState, Sampling)
from .recovery_models import (  # noqa: E402,F401  (accountability: recoveries, repayments, sanctions)
    Measure, Recovery, RecoveryNumberSequence, RecoveryState, Repayment, Sanction)
