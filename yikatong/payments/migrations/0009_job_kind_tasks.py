"""The 短信告知 handler moved from payments/sms.py to payments/tasks.py (issue 19: one task module per app).
Queued and finished jobs keep their handler: their kind (the handler's dotted path) is rewritten."""
from django.db import migrations

KINDS = {
    "yikatong.payments.sms.queue_notices_job": "yikatong.payments.tasks.queue_notices_job",
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
    dependencies = [("jobs", "0002_job_lease"), ("payments", "0008_agreement_document_sealed")]
    operations = [migrations.RunPython(forward, backward)]
