"""AuditEvent: one row per write, hash-chained so that edits and deletions are detectable."""
from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    seq = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    actor_name = models.CharField("操作人名称", max_length=150, blank=True)
    action = models.CharField("动作", max_length=80, db_index=True)
    object_type = models.CharField("对象类型", max_length=80, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = "审计事件"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class ChainHead(models.Model):
    """Single row locked while appending, so concurrent writers extend the chain one at a time."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
