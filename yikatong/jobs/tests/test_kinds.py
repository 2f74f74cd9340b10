"""Every job kind the product queues names a marked handler, and the kinds queued before a handler
moved (issue 19: one `tasks.py` per app) are rewritten by the owning app's migration."""
import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from yikatong.jobs.models import Job
from yikatong.jobs.registry import resolve

ROOT = Path(__file__).resolve().parents[2]  # the yikatong package

MOVES = [  # (app, migration) of each handler move
    ("web", "0001_audit_verify_job_kind"),
    ("web", "0002_job_kind_tasks"),
    ("rosters", "0008_job_kind_tasks"),
    ("checks", "0006_job_kind_tasks"),
    ("registry", "0003_job_kind_tasks"),
    ("payments", "0009_job_kind_tasks"),
]


def _kinds_in_code():
    """Dotted handler paths written in production code: `kind="yikatong..."` and `*_KIND = "yikatong..."`."""
    found = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "kind":
                value = node.value
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id.endswith("JOB_KIND") for t in node.targets
            ):
                value = node.value
            else:
                continue
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value.startswith("yikatong."):
                found.add(value.value)
    return found


def test_every_kind_in_the_code_resolves_to_a_handler_in_a_tasks_module():
    kinds = _kinds_in_code()
    assert len(kinds) >= 6  # rosters import, two checks, register import, audit verify, sms notices
    for kind in kinds:
        assert resolve(kind).__module__.endswith(".tasks"), kind


@pytest.mark.django_db
def test_a_job_queued_under_an_old_kind_is_handled_after_the_migrations():
    moves = [importlib.import_module(f"yikatong.{app}.migrations.{name}") for app, name in MOVES]
    old_kinds = []
    for module in moves:
        old_kinds += list(module.KINDS)
    jobs = [Job.objects.create(key=f"old:{i}", kind=kind, title="t") for i, kind in enumerate(old_kinds)]

    for module in moves:  # in dependency order, as migrate runs them
        module.Migration.operations[0].code(django_apps, None)

    for job in jobs:
        job.refresh_from_db()
        assert resolve(job.kind).__module__.endswith(".tasks"), job.kind

    for module in reversed(moves):  # and back: every row gets its first name again (the audit job had two)
        module.Migration.operations[0].reverse_code(django_apps, None)
    first_names = set(old_kinds) - {"yikatong.web.audit_jobs.verify_job"}
    assert set(Job.objects.values_list("kind", flat=True)) == first_names
