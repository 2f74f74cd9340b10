"""The cross-check handlers moved from checks/jobs.py to checks/tasks.py (issue 19: one task module per app).
Queued and finished jobs keep their handler: their kind (the handler's dotted path) is rewritten."""
from django.db import migrations

KINDS = {
    "yikatong.checks.jobs.batch_check_job": "yikatong.checks.tasks.batch_check_job",
    "yikatong.checks.jobs.sweep_job": "yikatong.checks.tasks.sweep_job",
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
    dependencies = [("jobs", "0002_job_lease"), ("checks", "0005_four_eyes")]
    operations = [migrations.RunPython(forward, backward)]
