"""An application (申请) for a policy marked for application intake, and its village assembly review
(民主评议). Personal data is encrypted like the register (core.crypto), with a blind index of the ID
number for the duplicate check and the public self-query."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from yikatong.regions.models import Region


class State(models.TextChoices):
    SUBMITTED = "submitted", "已申请，待村审核"
    VILLAGE_REVIEWED = "village_reviewed", "村审核通过，待乡镇审核"
    TOWNSHIP_VERIFIED = "township_verified", "乡镇审核通过，待部门审批"
    APPROVED = "approved", "已审批"
    REFUSED = "refused", "不予通过"


OPEN_STATES = (State.SUBMITTED, State.VILLAGE_REVIEWED, State.TOWNSHIP_VERIFIED, State.APPROVED)


class Application(models.Model):
    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT, related_name="+", verbose_name="补贴项目")
    policy_code = models.CharField("项目代码", max_length=30)  # the identity across catalogue versions
    year = models.PositiveSmallIntegerField("年度")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="村(社区)")
    department = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="审批部门")
    profile_code = models.CharField("流程配置", max_length=3)
    name = models.CharField("申请人姓名", max_length=50)
    id_enc = models.TextField("身份证号码(密文)")
    id_bidx = models.CharField(max_length=64, db_index=True)
    id_masked = models.CharField("身份证号码(脱敏)", max_length=24)
    phone_enc = models.TextField("联系电话(密文)", blank=True)
    phone_masked = models.CharField("联系电话(脱敏)", max_length=20, blank=True)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    account_enc = models.TextField("社保卡金融账号(密文)")
    account_masked = models.CharField("社保卡金融账号(脱敏)", max_length=24)
    amount_fen = models.BigIntegerField("申请金额(分)")
    amount_is_standard = models.BooleanField("按标准", default=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.SUBMITTED)
    state_since = models.DateTimeField("进入当前状态")
    due_date = models.DateField("办理期限", null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    refusal_reason = models.TextField("不予通过理由", blank=True)
    refused_at = models.CharField("不予通过环节", max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    batch_item = models.OneToOneField("rosters.BatchItem", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="application", verbose_name="纳入的发放明细")
    rostered_at = models.DateTimeField("纳入清册时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "补贴申请"
        constraints = [
            # one open (or approved) application per person, policy and year; a refused one may be filed again
            models.UniqueConstraint(fields=["id_bidx", "policy_code", "year"], condition=Q(state__in=OPEN_STATES),
                                    name="applications_one_open_per_person_policy_year"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="applications_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"申请 {self.pk} {self.name}"


class DemocraticReview(models.Model):
    """The village's 民主评议 of one application: date, attendance, votes, minutes."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="review")
    held_on = models.DateField("评议日期")
    attendees = models.PositiveIntegerField("参加人数")
    votes_for = models.PositiveIntegerField("赞成票")
    votes_against = models.PositiveIntegerField("反对票")
    minutes = models.TextField("评议记录")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "民主评议"


class ApplicationEvent(models.Model):
    """The timeline of an application (who did what when), written by the state engine's `after`."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("动作", max_length=30)
    label = models.CharField("说明", max_length=60)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
