"""`yikatong demo [--county CODE] [--size N]`: a demo county from the real region data. Idempotent.

Each app adds its part of the demo as a step `build(county_code, *, size, stdout)` listed in
DEMO_STEPS, in dependency order; a step whose app is not installed is left out. Only under settings
with YKT_DEMO_ENABLED (settings/demo.py: the default and test settings): production refuses with
DEMO_DISABLED before it creates anything.
"""
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from yikatong.accounts.demo import DEMO_PASSWORD, SEED_COUNTIES, build_demo_county, demo_logins
from yikatong.core.refusals import Refusal, register_messages
from yikatong.regions.models import Region

register_messages({
    "DEMO_DISABLED": "当前为生产配置，不能生成演示数据和演示账号（演示只在默认或测试配置下可用）。",
})

DEMO_STEPS = [
    "yikatong.policies.demo.build",
    "yikatong.funds.demo.build",
    "yikatong.registry.demo.build",
    "yikatong.rosters.demo.build",
    "yikatong.banksim.demo.build",  # pays the approved batch through the simulated bank
    "yikatong.disclosure.demo.build",  # a notice running online, a published result list, complaints
    "yikatong.supervision.demo.build",  # an inspection plan in progress (a passed and a failed check); a recovery in progress
    "yikatong.reports.demo.build",  # monitoring reports of past months: one submitted, one draft (overdue)
]


def default_county(profile_code: str) -> str:
    """The seed county whose document is the profile (so `YKT_PROFILE=001 make run` shows 楚雄市)."""
    return next((c for c, p in sorted(SEED_COUNTIES.items()) if p == profile_code), "141024")


def _installed(step: str) -> bool:
    return any(step.startswith(config.name + ".") for config in apps.get_app_configs())


class Command(BaseCommand):
    help = "Build (or complete) the demo county: regions, organizations, users, and each app's demo data."

    def add_arguments(self, parser):
        parser.add_argument("--county", default=None, choices=sorted(SEED_COUNTIES),
                            help="default: the seed county of the deployment's profile (YKT_PROFILE)")
        parser.add_argument("--size", type=int, default=20000, help="synthetic population size")

    def handle(self, *args, county, size, **options):
        if not settings.YKT_DEMO_ENABLED:
            refusal = Refusal("DEMO_DISABLED")
            raise CommandError(f"{refusal.message}（{refusal.code}）")
        county = county or default_county(settings.YKT_PROFILE)
        if not Region.objects.filter(code__startswith=county, level=5).exists():
            call_command("regions", "load", "--county", county, stdout=self.stdout)
        try:
            summary = build_demo_county(county)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"演示县 {county}：新建单位 {summary['organizations_created']} 个，新建用户 {len(summary['users_created'])} 个"
        )
        for step in DEMO_STEPS:
            if not _installed(step):
                continue
            import_string(step)(county, size=size, stdout=self.stdout)
        self.stdout.write("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
        for username, role, name in demo_logins():
            self.stdout.write(f"  {username:<12} {role:<14} {name}")
