from django.core.management.base import BaseCommand, CommandError

from yikatong.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools: `audit verify` checks the hash chain and reports the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(f"审计链校验失败：{result.message}")
        self.stdout.write(self.style.SUCCESS(result.message))
