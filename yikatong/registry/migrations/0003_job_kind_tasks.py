"""The register import handler moved from registry/jobs.py to registry/tasks.py (issue 19: one task module per app).
Queued and finished jobs keep their handler: their kind (the handler's dotted path) is rewritten."""
from django.db import migrations

from yikatong.jobs.migration_ops import rename_job_kinds

KINDS = {
    "yikatong.registry.jobs.register_import_job": "yikatong.registry.tasks.register_import_job",
}


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_job_lease"), ("registry", "0002_referencerecord_status")]
    operations = [rename_job_kinds(KINDS)]
