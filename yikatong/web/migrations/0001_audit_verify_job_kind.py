"""The audit-chain verification job moved from yikatong.audit.jobs to yikatong.web.audit_jobs (issue 19:
audit sits below jobs and no longer imports it); queued jobs keep their handler."""
from django.db import migrations

OLD, NEW = "yikatong.audit.jobs.verify_job", "yikatong.web.audit_jobs.verify_job"


def forward(apps, schema_editor):
    apps.get_model("jobs", "Job").objects.filter(kind=OLD).update(kind=NEW)


def backward(apps, schema_editor):
    apps.get_model("jobs", "Job").objects.filter(kind=NEW).update(kind=OLD)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_job_lease")]
    operations = [migrations.RunPython(forward, backward)]
