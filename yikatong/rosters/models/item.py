"""Roster items (发放明细). Personal data encrypted like the register (core.crypto.Vault)."""
from django.db import models

from yikatong.regions.models import Region


class ItemStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    REMOVED = "removed", "已剔除"


class BatchItem(models.Model):
    batch = models.ForeignKey("rosters.Batch", on_delete=models.PROTECT, related_name="items")
    seq = models.PositiveIntegerField("序号")
    source_row = models.PositiveIntegerField("文件行号", null=True, blank=True)
    item_ref = models.CharField("明细编号", max_length=40, unique=True)
    name = models.CharField("姓名/名称", max_length=100)
    id_enc = models.TextField("证件号码(密文)")
    id_bidx = models.CharField(max_length=64, db_index=True)
    id_masked = models.CharField("证件号码(脱敏)", max_length=24)
    is_org = models.BooleanField("单位", default=False)
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name="村(社区)")
    household_no = models.CharField("户号", max_length=40, blank=True)
    relation = models.CharField("与户主关系", max_length=20, blank=True)
    phone_enc = models.TextField(blank=True)
    phone_masked = models.CharField("联系电话(脱敏)", max_length=20, blank=True)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    account_enc = models.TextField("银行账号(密文)")
    account_bidx = models.CharField(max_length=64, db_index=True)
    account_masked = models.CharField("银行账号(脱敏)", max_length=24)
    account_holder = models.CharField("账户户名", max_length=100, blank=True)
    quantity = models.DecimalField("补贴数量", max_digits=14, decimal_places=4, default=1)
    standard_fen = models.BigIntegerField("补贴标准(分)", null=True, blank=True)
    amount_fen = models.BigIntegerField("发放金额(分)")
    memo = models.CharField("备注", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=ItemStatus.choices, default=ItemStatus.ACTIVE)
    removed_reason = models.CharField("剔除原因", max_length=200, blank=True)
    warnings = models.JSONField("提示", default=list, blank=True)
    compare = models.JSONField("复核比对结果", default=list, blank=True)
    # computed from the plaintext when the item is written (importer/flags.py), read by the cross-checks;
    # None: written before the flags existed and not backfilled
    id_valid = models.BooleanField("证件号码有效", null=True, blank=True)
    account_valid = models.BooleanField("银行账号有效", null=True, blank=True)
    birth_date = models.DateField("出生日期(据身份证号码)", null=True, blank=True)
    phone_bidx = models.CharField(max_length=64, blank=True, default="")  # indexed by rosters_item_phone_cover

    class Meta:
        ordering = ["batch_id", "seq"]
        verbose_name = "发放明细"
        constraints = [models.UniqueConstraint(fields=["batch", "seq"], name="rosters_item_seq_per_batch")]
        # The cross-checks look a roster's items up among all items by person and by account
        # (checks/rules.py DUP_PAYMENT, SHARED_ACCOUNT); covering indexes (INCLUDE, PostgreSQL) let
        # that be an index-only scan: a 10,000-item roster against 10^7 items in well under a second.
        indexes = [
            models.Index(fields=["id_bidx"], include=["batch", "id", "seq", "status"], name="rosters_item_person_cover"),
            models.Index(fields=["account_bidx"], include=["batch", "id", "id_bidx", "seq", "status", "household_no",
                                                           "village", "name"], name="rosters_item_account_cover"),
            # one phone for many beneficiaries: index-only counting of a roster's phones over all items
            models.Index(fields=["phone_bidx"], include=["batch", "id_bidx", "status"], name="rosters_item_phone_cover"),
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.name}"
