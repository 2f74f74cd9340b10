"""History of people and accounts: nothing in the register changes without one of these rows."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..choices import AccountEventKind, AccountStatus, EventKind


class PersonEvent(models.Model):
    """A life event (迁入, 迁出, 死亡, 账户变更, 挂失补卡 …) of a person (or a change of an
    organization payee) with its source and effective date.

    `changes` holds what changed, masked, for display; `before_enc` the previous values in
    full, encrypted (so a correction can always be traced back).
    """

    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    org = models.ForeignKey(
        "registry.OrgPayee", null=True, blank=True, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    kind = models.CharField("事项", max_length=20, choices=EventKind.choices)
    effective_date = models.DateField("生效日期")
    source = models.CharField("信息来源", max_length=200)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    before_enc = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    register_import = models.ForeignKey(
        "registry.RegisterImport", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = "人员变动"
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, org__isnull=True) | Q(person__isnull=True, org__isnull=False),
                name="registry_event_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date}"


class AccountEvent(models.Model):
    account = models.ForeignKey("registry.BankAccount", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事项", max_length=12, choices=AccountEventKind.choices)
    status_before = models.CharField("原状态", max_length=12, choices=AccountStatus.choices, blank=True)
    status_after = models.CharField("新状态", max_length=12, choices=AccountStatus.choices, blank=True)
    effective_date = models.DateField("生效日期")
    source = models.CharField("信息来源", max_length=200)
    person_event = models.ForeignKey(
        PersonEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="account_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = "账户变动"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date}"
