"""The yearly survey of an agent bank's service (代发银行满意度调查, seed 003)."""
from django.db import models

from .banks import AgentBank


class BankSurvey(models.Model):
    """One survey per bank and year, recorded by finance: how many answered, how many were satisfied,
    the score (0–100) and what was found; optionally the survey report (sealed, SURVEY_PURPOSE)."""

    bank = models.ForeignKey(AgentBank, on_delete=models.PROTECT, related_name="surveys", verbose_name="代发银行")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name="组织调查的辖区")
    year = models.PositiveSmallIntegerField("年度")
    respondents = models.PositiveIntegerField("参与人数")
    satisfied = models.PositiveIntegerField("满意人数")
    score = models.PositiveSmallIntegerField("综合评分（百分制）")
    findings = models.TextField("发现的问题及整改要求", blank=True)
    report_name = models.CharField("调查报告文件名", max_length=100, blank=True)
    report_type = models.CharField("调查报告类型", max_length=100, blank=True)
    report_sha256 = models.CharField("调查报告 SHA-256", max_length=64, blank=True)
    report_enc = models.BinaryField("调查报告（密文）", blank=True, default=b"")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["bank_id", "-year"]
        verbose_name = "代发银行满意度调查"
        constraints = [
            models.UniqueConstraint(fields=["bank", "year"], name="banksurvey_once_per_bank_year"),
            models.CheckConstraint(condition=models.Q(satisfied__lte=models.F("respondents")),
                                   name="banksurvey_satisfied_within_respondents"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="banksurvey_score_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.bank} {self.year} 年满意度调查"

    @property
    def satisfaction_pct(self) -> str:
        return f"{self.satisfied * 100 / self.respondents:.1f}%" if self.respondents else "—"

    def report(self) -> bytes:
        from yikatong.core import sealed

        from ..exchange.storage import SURVEY_PURPOSE

        return sealed.unseal(self.report_enc, purpose=SURVEY_PURPOSE, sha256=self.report_sha256)
