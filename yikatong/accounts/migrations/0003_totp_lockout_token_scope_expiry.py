"""Issue 13: TOTP attempt counter, lock and replay guard; API token scope, expiry and revocation reason.

Existing tokens were issued with no scope and no expiry. They become READ tokens (least privilege:
a token that can change nothing if it has leaked; the owner issues a write token deliberately) and
expire YKT_TOKEN_DEFAULT_DAYS after this migration runs (not after their creation, so integrations
keep reading while their owners re-issue, but no token lives for ever)."""
from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def bound_existing_tokens(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    days = getattr(settings, "YKT_TOKEN_DEFAULT_DAYS", 90)
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=timezone.now() + timedelta(days=days), scope="read")
    ApiToken.objects.filter(revoked_at__isnull=False, revoked_reason="").update(revoked_reason="user")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_organization_line")]

    operations = [
        migrations.AddField(
            model_name="user", name="totp_failures",
            field=models.PositiveIntegerField(default=0, verbose_name="连续动态口令错误次数"),
        ),
        migrations.AddField(
            model_name="user", name="totp_locked_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="动态口令锁定至"),
        ),
        migrations.AddField(
            model_name="user", name="totp_last_counter",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="最近使用的动态口令时间片"),
        ),
        migrations.AddField(
            model_name="apitoken", name="revoked_reason",
            field=models.CharField(blank=True, max_length=20, verbose_name="作废原因", choices=[
                ("user", "本人作废"), ("password_change", "修改密码后自动作废"),
                ("password_reset", "重置密码后自动作废"), ("deactivated", "账号停用后自动作废")]),
        ),
        migrations.AddField(
            model_name="apitoken", name="scope",
            field=models.CharField(choices=[("read", "只读（仅查询）"), ("write", "读写")], default="read",
                                   max_length=10, verbose_name="权限范围"),
        ),
        migrations.AddField(
            model_name="apitoken", name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="有效期至"),
        ),
        migrations.RunPython(bound_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken", name="expires_at",
            field=models.DateTimeField(verbose_name="有效期至"),
        ),
    ]
