"""Migration operations of the jobs app for other apps' migrations (ADR 0013)."""
from django.db import migrations


def rename_job_kinds(kinds: dict[str, str]) -> migrations.RunPython:
    """A data migration for moved job handlers: queued and finished jobs keep their handler, their kind
    (the handler's dotted path) is rewritten old → new, and back on reverse."""

    def forward(apps, schema_editor):
        Job = apps.get_model("jobs", "Job")
        for old, new in kinds.items():
            Job.objects.filter(kind=old).update(kind=new)

    def backward(apps, schema_editor):
        Job = apps.get_model("jobs", "Job")
        for old, new in kinds.items():
            Job.objects.filter(kind=new).update(kind=old)

    return migrations.RunPython(forward, backward)
