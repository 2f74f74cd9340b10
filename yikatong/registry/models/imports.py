"""One run of a base-register import: the file, who, counts and (encrypted) errors."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from yikatong.regions.models import Region

from ..choices import ImportState


class RegisterImport(models.Model):
    file_name = models.CharField("文件名", max_length=200)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_size = models.BigIntegerField("文件大小", default=0)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="导入范围")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    rows = models.PositiveIntegerField("数据行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    events = models.PositiveIntegerField("变动记录", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    # The error list quotes cell values (ID numbers among them): stored encrypted.
    errors_enc = models.TextField(blank=True)
    summary = models.JSONField("说明", default=dict, blank=True)
    # The uploaded file, encrypted (AES-GCM), kept only until the import has run.
    upload_enc = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "底册导入"

    def __str__(self) -> str:
        return f"底册导入 #{self.pk} {self.file_name}"
