"""Cross-checks (大数据比对): rules, their runs and the findings (疑点) they raise."""
from django.conf import settings
from django.db import models


class Severity(models.TextChoices):
    BLOCK = "block", "阻断"
    WARN = "warn", "预警"
    INFO = "info", "提示"


class FindingState(models.TextChoices):
    OPEN = "open", "待处置"
    # four eyes (四眼): a reviewer proposed to clear a blocking finding; it still blocks until a head
    # of the owning department other than the proposer confirms (-> cleared) or rejects (-> open)
    CLEAR_PENDING = "clear_pending", "待复核排除"
    CONFIRMED = "confirmed", "已确认"
    CLEARED = "cleared", "已排除"
    TRANSFERRED = "transferred", "已移送线索"  # confirmed and handed to the supervisor as a clue (线索移送)
    CLOSED = "closed", "已消除"  # the cause is gone: a later run no longer finds it


class Rule(models.Model):
    """A declarative rule: its logic is `sql` over the views of checks/sqlviews.py."""

    code = models.CharField("规则代码", max_length=40, unique=True)
    name = models.CharField("规则名称", max_length=100)
    description = models.TextField("说明", blank=True)
    severity = models.CharField("级别", max_length=5, choices=Severity.choices)
    datasets = models.JSONField("读取的数据", default=list, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    sql = models.TextField("规则 SQL")
    key_columns = models.JSONField("疑点标识列", default=list)
    message = models.CharField("疑点描述模板", max_length=300)
    version = models.PositiveIntegerField("版本", default=1)
    enabled = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "比对规则"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RunScope(models.TextChoices):
    BATCH = "batch", "批次比对"
    SWEEP = "sweep", "全量比对"


class RuleRun(models.Model):
    scope = models.CharField("范围", max_length=10, choices=RunScope.choices)
    batch = models.ForeignKey("rosters.Batch", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rules = models.JSONField("规则及版本", default=dict)
    setting_versions = models.JSONField("使用的规则设置", default=dict, blank=True)  # code -> [{setting, version, ...}]
    engine = models.CharField("引擎", max_length=10, default="db")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    hits = models.PositiveIntegerField("命中", default=0)
    created = models.PositiveIntegerField("新增疑点", default=0)
    reopened = models.PositiveIntegerField("重新出现", default=0)
    closed = models.PositiveIntegerField("已消除", default=0)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "比对运行记录"


class Finding(models.Model):
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="findings")
    fingerprint = models.CharField(max_length=64)
    batch = models.ForeignKey("rosters.Batch", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("rosters.BatchItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    id_bidx = models.CharField(max_length=64, blank=True, db_index=True)
    state = models.CharField("状态", max_length=20, choices=FindingState.choices, default=FindingState.OPEN)
    severity = models.CharField("级别", max_length=5, choices=Severity.choices)
    message = models.CharField("疑点描述", max_length=300)
    evidence = models.JSONField("依据", default=dict, blank=True)
    rule_version = models.PositiveIntegerField(default=1)
    first_run = models.ForeignKey(RuleRun, null=True, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(RuleRun, null=True, on_delete=models.PROTECT, related_name="+")
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    disposed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField("处置意见", blank=True)
    # the second person of a cleared blocking finding (四眼): the department head who confirmed it
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="复核人")
    confirmed_at = models.DateTimeField("复核时间", null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "pk"]
        verbose_name = "疑点"
        constraints = [models.UniqueConstraint(fields=["rule", "fingerprint"], name="checks_finding_fingerprint_uniq")]
        indexes = [models.Index(fields=["batch", "state", "severity"], name="checks_finding_batch_state")]

    def __str__(self) -> str:
        return f"{self.rule.code} {self.message}"


class RuleSetting(models.Model):
    """One version of a rule's setting for a region subtree and/or a policy (by its unified code).
    Append-only: a change is a new row with the next version of its (rule, region, policy) key;
    the latest version of the most specific match applies to a batch (settings.effective_setting)."""

    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="settings", verbose_name="规则")
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="区划")
    policy_code = models.CharField("政策代码", max_length=30, blank=True, default="")  # "": every policy
    enabled = models.BooleanField("启用", default=True)
    params = models.JSONField("参数", default=dict, blank=True)
    version = models.PositiveIntegerField("版本")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="调整人")
    changed_at = models.DateTimeField("调整时间")
    reason = models.TextField("调整理由")

    class Meta:
        ordering = ["rule", "region", "policy_code", "-version"]
        verbose_name = "规则设置"
        constraints = [
            models.UniqueConstraint(fields=["rule", "region", "policy_code", "version"],
                                    condition=models.Q(region__isnull=False), name="checks_rulesetting_version_uniq"),
            models.UniqueConstraint(fields=["rule", "policy_code", "version"], condition=models.Q(region__isnull=True),
                                    name="checks_rulesetting_version_noregion_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.rule.code} {self.region or '全部区划'} {self.policy_code or '全部政策'} v{self.version}"


class FindingEvidence(models.Model):
    """Evidence (依据) given with a disposition: an uploaded file (kept encrypted in the database,
    never under public media) or a written note. Never changed or deleted once stored."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="evidence_items")
    text = models.TextField("依据说明", blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    content_enc = models.BinaryField("文件(密文)", blank=True, default=b"")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = "处置依据"

    def __str__(self) -> str:
        return self.filename or self.text[:40]
