"""The 短信告知 handler moved from payments/sms.py to payments/tasks.py (issue 19: one task module per app).
Queued and finished jobs keep their handler: their kind (the handler's dotted path) is rewritten."""
from django.db import migrations

from yikatong.jobs.migration_ops import rename_job_kinds

KINDS = {
    "yikatong.payments.sms.queue_notices_job": "yikatong.payments.tasks.queue_notices_job",
}


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_job_lease"), ("payments", "0008_agreement_document_sealed")]
    operations = [rename_job_kinds(KINDS)]
