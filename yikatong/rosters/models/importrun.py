"""One import of a roster file into a batch: the file (encrypted, byte for byte) and its report."""
from django.conf import settings
from django.db import models


class ImportMode(models.TextChoices):
    VALID_ONLY = "valid_only", "只导入正确的行"
    ALL_OR_NOTHING = "all_or_nothing", "全部正确才导入"


class ImportRun(models.Model):
    batch = models.ForeignKey("rosters.Batch", on_delete=models.PROTECT, related_name="imports")
    filename = models.CharField("文件名", max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content_enc = models.BinaryField("文件(密文)")  # the file holds ID numbers: encrypted at rest
    mode = models.CharField("导入方式", max_length=20, choices=ImportMode.choices)
    # the operator confirmed, when uploading, that a 标准 other than the catalogue's is meant (STANDARD_MISMATCH)
    confirm_standard = models.BooleanField("确认按清册标准导入", default=False)
    rows = models.PositiveIntegerField("数据行", default=0)
    accepted = models.PositiveIntegerField("导入行", default=0)
    error_count = models.PositiveIntegerField("错误", default=0)
    warning_count = models.PositiveIntegerField("提示", default=0)
    imported = models.BooleanField("已导入", default=False)
    message = models.CharField("结论", max_length=300, blank=True)
    problems_enc = models.TextField("错误和提示(密文)", blank=True)  # quotes values as written: personal data
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "清册导入记录"
