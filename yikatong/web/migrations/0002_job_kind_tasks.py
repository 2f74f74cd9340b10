"""The audit-chain verification handler moved from web/audit_jobs.py to web/tasks.py (issue 19: one task module per app).
Queued and finished jobs keep their handler: their kind (the handler's dotted path) is rewritten."""
from django.db import migrations

KINDS = {
    "yikatong.web.audit_jobs.verify_job": "yikatong.web.tasks.verify_job",
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
    dependencies = [("jobs", "0002_job_lease"), ("web", "0001_audit_verify_job_kind")]
    operations = [migrations.RunPython(forward, backward)]
