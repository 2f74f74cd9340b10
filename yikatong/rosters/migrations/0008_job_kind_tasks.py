"""The roster import handler moved from rosters/jobs.py to rosters/tasks.py (issue 19: one task module per app).
Queued and finished jobs keep their handler: their kind (the handler's dotted path) is rewritten."""
from django.db import migrations

from yikatong.jobs.migration_ops import rename_job_kinds

KINDS = {
    "yikatong.rosters.jobs.import_job": "yikatong.rosters.tasks.import_job",
}


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_job_lease"), ("rosters", "0007_attachment_sealed_at_rest")]
    operations = [rename_job_kinds(KINDS)]
