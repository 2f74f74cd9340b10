"""The register import handler moved from registry/jobs.py to registry/tasks.py (issue 19: one task module per app).
Queued and finished jobs keep their handler: their kind (the handler's dotted path) is rewritten."""
from django.db import migrations

KINDS = {
    "yikatong.registry.jobs.register_import_job": "yikatong.registry.tasks.register_import_job",
}


def forward(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for old, new in KINDS.items():
        Job.objects.filter(kind=old).update(kind=new)


def backward(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for old, new in KINDS.items():
        Job.objects.filter(kind=new).update(kind=old)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_job_lease"), ("registry", "0002_referencerecord_status")]
    operations = [migrations.RunPython(forward, backward)]
