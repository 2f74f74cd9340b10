"""Accounts that receive payments. A changed account is a new row; the old one is kept, closed."""
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..choices import AccountKind, AccountStatus
from ..fields import BlindIndexField


class BankAccount(models.Model):
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    org = models.ForeignKey(
        "registry.OrgPayee", null=True, blank=True, on_delete=models.PROTECT, related_name="accounts", db_index=False
    )
    kind = models.CharField("账户类型", max_length=12, choices=AccountKind.choices, default=AccountKind.SSC)
    bank = models.CharField("开户银行", max_length=60, blank=True)
    number_enc = models.TextField("账号(密文)")
    number_bidx = BlindIndexField()
    holder_name = models.CharField("账户户名", max_length=100, blank=True)
    status = models.CharField("账户状态", max_length=12, choices=AccountStatus.choices, default=AccountStatus.ACTIVE)
    is_current = models.BooleanField("当前使用", default=True)
    opened_on = models.DateField("登记日期", null=True, blank=True)
    closed_on = models.DateField("停用日期", null=True, blank=True)
    source_import = models.ForeignKey(
        "registry.RegisterImport", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
        db_index=False, db_constraint=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "账户"
        indexes = [
            models.Index(fields=["number_bidx"], name="registry_account_number"),
            models.Index(fields=["org"], condition=Q(org__isnull=False), name="registry_account_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, org__isnull=True) | Q(person__isnull=True, org__isnull=False),
                name="registry_account_one_owner",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_current=True, person__isnull=False),
                name="registry_one_current_account_per_person",
            ),
            models.UniqueConstraint(
                fields=["org"], condition=Q(is_current=True, org__isnull=False),
                name="registry_one_current_account_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.bank}）"
