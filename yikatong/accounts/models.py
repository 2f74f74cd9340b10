"""Organizations (单位) in regions, users holding roles, and API tokens."""
from django.contrib.auth.models import AbstractUser
from django.db import models

from yikatong.regions.models import Region

from .roles import APPROVING_ROLES, Role


class OrgKind(models.TextChoices):
    FINANCE_BUREAU = "finance_bureau", "财政局"
    LINE_DEPARTMENT = "line_department", "业务主管部门"
    TOWNSHIP = "township", "乡镇人民政府"
    TOWNSHIP_FINANCE = "township_finance", "乡镇财政所"
    TOWNSHIP_STATION = "township_station", "乡镇经办站所"
    VILLAGE = "village", "村(社区)"
    AGENT_BANK = "agent_bank", "代发金融机构"
    SUPERVISION = "supervision", "审计/纪检/监管"
    DISCLOSURE = "disclosure", "政务公开办"


class Organization(models.Model):
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=30, choices=OrgKind.choices, db_index=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organizations", verbose_name="所在区划")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="units", verbose_name="上级单位"
    )
    code = models.CharField("单位编码", max_length=40, unique=True)
    line = models.CharField("业务条线", max_length=10, blank=True, db_index=True,
                            help_text="业务主管部门的条线（如 mz 民政），与补贴政策的业务条线对应")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["region_id", "kind", "name"]
        verbose_name = "单位"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name="所属单位"
    )
    failed_logins = models.PositiveIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    totp_secret = models.TextField("动态口令密钥(加密)", blank=True)
    totp_enabled = models.BooleanField("已启用动态口令", default=False)
    must_change_password = models.BooleanField("须修改密码", default=False)
    # the mobile number (optional, from `yikatong users import`): encrypted, shown masked
    phone_enc = models.TextField("手机号（密文）", blank=True)
    phone_masked = models.CharField("手机号（脱敏）", max_length=20, blank=True)
    # Second factor: wrong codes are counted like passwords (accounts.lockout) and the last accepted
    # TOTP time step is kept so the same code cannot be used twice (accounts.totp).
    totp_failures = models.PositiveIntegerField("连续动态口令错误次数", default=0)
    totp_locked_until = models.DateTimeField("动态口令锁定至", null=True, blank=True)
    totp_last_counter = models.BigIntegerField("最近使用的动态口令时间片", null=True, blank=True)

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def region(self) -> Region | None:
        return self.organization.region if self.organization_id else None

    @property
    def scope_prefix(self) -> str | None:
        """Region code prefix of everything this user may see; None means nothing."""
        region = self.region
        return region.prefix if region else None

    @property
    def role_set(self) -> frozenset[str]:
        if not hasattr(self, "_role_cache"):
            self._role_cache = frozenset(self.role_grants.values_list("role", flat=True)) if self.pk else frozenset()
        return self._role_cache

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def needs_two_factor(self) -> bool:
        return bool(self.role_set & APPROVING_ROLES)


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=30, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="uniq_user_role")]
        verbose_name = "角色授权"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class TokenScope(models.TextChoices):
    READ = "read", "只读（仅查询）"
    WRITE = "write", "读写"


class TokenRevocation(models.TextChoices):
    USER = "user", "本人作废"
    PASSWORD_CHANGE = "password_change", "修改密码后自动作废"
    PASSWORD_RESET = "password_reset", "重置密码后自动作废"
    DEACTIVATED = "deactivated", "账号停用后自动作废"


class ApiToken(models.Model):
    """Bearer token for the JSON API; only its SHA-256 is stored. A token has a scope (a read
    token may call GET/HEAD only) and an expiry, and dies with its owner's password."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField("作废原因", max_length=20, choices=TokenRevocation.choices, blank=True)
    scope = models.CharField("权限范围", max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    expires_at = models.DateTimeField("有效期至")

    class Meta:
        verbose_name = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at <= timezone.now()

    @property
    def state_label(self) -> str:
        if self.revoked_at:
            return self.get_revoked_reason_display() or "已作废"
        return "已过期" if self.is_expired else "有效"
