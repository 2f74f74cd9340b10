"""Attachments of a batch (signed summary scans, notice photos), stored with their digest."""
from django.conf import settings
from django.db import models


class AttachmentKind(models.TextChoices):
    SUMMARY = "summary", "签字盖章的汇总表"
    NOTICE_PHOTO = "notice_photo", "公示照片/证明"
    OTHER = "other", "其他材料"


class Attachment(models.Model):
    batch = models.ForeignKey("rosters.Batch", on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField("类型", max_length=15, choices=AttachmentKind.choices)
    filename = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="rosters/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = "附件"
