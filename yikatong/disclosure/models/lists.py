"""Published lists (公示名单, issue 15 points 1-2): a batch's notice list (公示) or post-payment result list
(发放结果公示) as published, one row per version. A version never changes once written: publishing again after
the batch's content changed makes a new version; a withdrawn version stays visible, marked 已撤回 with its reason.
`content` is the canonical JSON (header + rows, masked IDs only) and `digest` its SHA-256 (publish_content)."""
from django.conf import settings
from django.db import models


class ListKind(models.TextChoices):
    NOTICE = "notice", "公示名单"
    RESULT = "result", "发放结果公示"


class ListState(models.TextChoices):
    PUBLISHED = "published", "已公开"
    WITHDRAWN = "withdrawn", "已撤回"


class PublishedList(models.Model):
    batch = models.ForeignKey("rosters.Batch", on_delete=models.PROTECT, related_name="published_lists")
    kind = models.CharField("类型", max_length=10, choices=ListKind.choices)
    version = models.PositiveIntegerField("版本")
    state = models.CharField("状态", max_length=10, choices=ListState.choices, default=ListState.PUBLISHED)
    public_id = models.CharField("公开编号", max_length=32, unique=True)
    title = models.CharField("标题", max_length=300)
    content = models.JSONField("公开内容")
    digest = models.CharField("SHA-256", max_length=64)
    row_count = models.PositiveIntegerField("人数", default=0)
    total_fen = models.BigIntegerField("合计(分)", default=0)
    # None: published by the system (a notice when it was registered, a result list on the profile's deadline)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField("公开时间")
    withdraw_reason = models.CharField("撤回理由", max_length=300, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "kind", "version"], name="disclosure_list_version")]
        verbose_name = "公开名单"
        verbose_name_plural = "公开名单"

    def save(self, *args, **kwargs):
        # a version is written once; its state moves through the engine's conditional UPDATE (publish_flow)
        if self.pk is not None:
            raise ValueError("a published list version is never rewritten: publish a new version")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"
