"""Snapshots of other agencies' data (共享比对数据) and their rows, keyed by ID blind index."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yikatong.regions.models import Region

from ..fields import BlindIndexField
from ..choices import DatasetKind
from ..fields import BlindIndexField


class ReferenceSnapshot(models.Model):
    """One delivered extract: which dataset, from which agency, as of which date, how many rows.
    A newer snapshot of the same dataset, agency and region supersedes the older (is_current)."""

    dataset = models.CharField("数据集", max_length=20, choices=DatasetKind.choices)
    source_agency = models.CharField("提供单位", max_length=60)
    as_of = models.DateField("数据截止日期")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="覆盖区划")
    row_count = models.PositiveIntegerField("行数", default=0)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    loaded_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField("现行", default=True)

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = "共享比对数据批次"
        indexes = [models.Index(fields=["dataset", "is_current"], name="registry_snapshot_current")]

    def __str__(self) -> str:
        return f"{self.get_dataset_display()}（{self.source_agency}，截至{self.as_of}）"


class ReferenceRecord(models.Model):
    """One row of a snapshot. `related_*` is a second person the row links to (the cadre of a
    relative); `account_*` an account number (社保卡状态). Other columns go to `attrs`."""

    snapshot = models.ForeignKey(ReferenceSnapshot, on_delete=models.PROTECT, related_name="records")
    id_bidx = BlindIndexField()
    id_enc = models.TextField()
    name = models.CharField("姓名", max_length=100, blank=True)
    related_id_bidx = BlindIndexField(blank=True)
    related_id_enc = models.TextField(blank=True)
    account_bidx = BlindIndexField(blank=True)
    account_enc = models.TextField(blank=True)
    event_date = models.DateField("日期", null=True, blank=True)
    # a normalised status code the cross-checks read: for 社保卡状态 the card's AccountStatus (卡状态 正常/未激活/
    # 挂失/冻结/注销 -> active/unactivated/lost/frozen/closed); '' for datasets without one
    status = models.CharField("状态代码", max_length=20, blank=True, default="", db_default="")
    attrs = models.JSONField("其他信息", default=dict, blank=True)

    class Meta:
        verbose_name = "共享比对数据"
        indexes = [
            models.Index(fields=["id_bidx"], name="registry_refrecord_id"),
            models.Index(fields=["related_id_bidx"], condition=~Q(related_id_bidx=""), name="registry_refrecord_related"),
            models.Index(fields=["account_bidx"], condition=~Q(account_bidx=""), name="registry_refrecord_account"),
        ]

    def __str__(self) -> str:
        return self.name
