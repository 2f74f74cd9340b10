"""`yikatong demo [--county CODE]`: a demo county from the real region data. Idempotent."""
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from yikatong.accounts.demo import DEMO_PASSWORD, SEED_COUNTIES, build_demo_county, demo_logins
from yikatong.regions.models import Region


class Command(BaseCommand):
    help = "Build (or complete) the demo county: regions, organizations, one user per role."

    def add_arguments(self, parser):
        parser.add_argument("--county", default="141024", choices=sorted(SEED_COUNTIES))

    def handle(self, *args, county, **options):
        if not Region.objects.filter(code=Region.full_code(county)).exists() or not Region.objects.filter(
            code__startswith=county, level=5
        ).exists():
            call_command("regions", "load", "--county", county, stdout=self.stdout)
        try:
            summary = build_demo_county(county)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"演示县 {county}：新建单位 {summary['organizations_created']} 个，新建用户 {len(summary['users_created'])} 个"
        )
        self.stdout.write("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
        for username, role, name in demo_logins():
            self.stdout.write(f"  {username:<12} {role:<14} {name}")
