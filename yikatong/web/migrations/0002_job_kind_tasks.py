"""The audit-chain verification handler moved from web/audit_jobs.py to web/tasks.py (issue 19: one task module per app).
Queued and finished jobs keep their handler: their kind (the handler's dotted path) is rewritten."""
from django.db import migrations

from yikatong.jobs.migration_ops import rename_job_kinds

KINDS = {
    "yikatong.web.audit_jobs.verify_job": "yikatong.web.tasks.verify_job",
}


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_job_lease"), ("web", "0001_audit_verify_job_kind")]
    operations = [rename_job_kinds(KINDS)]
