"""A yearly policy catalogue of one region (province list, prefecture or county additions), versioned.

Version 1 is drafted, submitted, filed (备案) and published. A published version is frozen: an
approved change request publishes the next version (a full copy plus the change) and the old
one becomes superseded; every version is kept.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from yikatong.regions.models import Region


class CatalogueState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送备案"
    FILED = "filed", "已备案"
    PUBLISHED = "published", "已公布"
    SUPERSEDED = "superseded", "已被新版本替代"


OPEN_STATES = (CatalogueState.DRAFT, CatalogueState.SUBMITTED, CatalogueState.FILED)


class PolicyCatalogue(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="policy_catalogues", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveSmallIntegerField("版本", default=1)
    state = models.CharField("状态", max_length=12, choices=CatalogueState.choices, default=CatalogueState.DRAFT)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_versions", verbose_name="上一版本"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    filed_at = models.DateTimeField("备案时间", null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField("公布日期", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded_on = models.DateField("被替代日期", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)

    class Meta:
        ordering = ["-year", "region_id", "-version"]
        verbose_name = "补贴政策清单"
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "version"], name="policies_catalogue_version_uniq"),
            models.UniqueConstraint(
                fields=["region", "year"], condition=Q(state="published"), name="policies_one_published_per_year"
            ),
            models.UniqueConstraint(
                fields=["region", "year"], condition=Q(state__in=["draft", "submitted", "filed"]),
                name="policies_one_open_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region.name}{self.year}年补贴政策清单（第{self.version}版）"

    @property
    def is_published(self) -> bool:
        return self.state == CatalogueState.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.state == CatalogueState.DRAFT
