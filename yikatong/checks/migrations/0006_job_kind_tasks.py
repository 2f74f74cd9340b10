"""The cross-check handlers moved from checks/jobs.py to checks/tasks.py (issue 19: one task module per app).
Queued and finished jobs keep their handler: their kind (the handler's dotted path) is rewritten."""
from django.db import migrations

from yikatong.jobs.migration_ops import rename_job_kinds

KINDS = {
    "yikatong.checks.jobs.batch_check_job": "yikatong.checks.tasks.batch_check_job",
    "yikatong.checks.jobs.sweep_job": "yikatong.checks.tasks.sweep_job",
}


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_job_lease"), ("checks", "0005_four_eyes")]
    operations = [rename_job_kinds(KINDS)]
