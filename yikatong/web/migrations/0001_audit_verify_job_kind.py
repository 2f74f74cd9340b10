"""The audit-chain verification job moved from yikatong.audit.jobs to yikatong.web.audit_jobs (issue 19:
audit sits below jobs and no longer imports it); queued jobs keep their handler."""
from django.db import migrations

from yikatong.jobs.migration_ops import rename_job_kinds

KINDS = {"yikatong.audit.jobs.verify_job": "yikatong.web.audit_jobs.verify_job"}


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_job_lease")]
    operations = [rename_job_kinds(KINDS)]
