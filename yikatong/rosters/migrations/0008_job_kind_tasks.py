"""The roster import handler moved from rosters/jobs.py to rosters/tasks.py (issue 19: one task module per app).
Queued and finished jobs keep their handler: their kind (the handler's dotted path) is rewritten."""
from django.db import migrations

KINDS = {
    "yikatong.rosters.jobs.import_job": "yikatong.rosters.tasks.import_job",
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
    dependencies = [("jobs", "0002_job_lease"), ("rosters", "0007_attachment_sealed_at_rest")]
    operations = [migrations.RunPython(forward, backward)]
