"""Importing the base register (乡镇管底册): upload -> background job -> one atomic import.

One import is one action: one audit event summarising the counts (0 created / 0 updated when
the same file is imported again). A rejected import changes nothing but its own record.
"""
from __future__ import annotations

import hashlib
import json
import logging

from django.db import transaction
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core import bulk
from yikatong.core.crypto import vault
from yikatong.core.failures import log_failure
from yikatong.core.refusals import Forbidden, Refusal
from yikatong.jobs import services as job_services
from yikatong.regions.models import Region

from .. import errors  # noqa: F401  (the refusal catalogue)
from ..choices import ImportState
from ..files import sha256_of
from ..importer import ImportOutcome, run_import
from ..models import BankAccount, Household, OrgPayee, Person, RegisterImport
from ..permissions import MAINTAIN_ROLES, require_region, require_role

log = logging.getLogger(__name__)
UPLOAD_PURPOSE = b"registry-upload"
JOB_KIND = "yikatong.registry.tasks.register_import_job"


class _Rejected(Exception):
    def __init__(self, outcome: ImportOutcome):
        self.outcome = outcome


def import_scope(actor, region_code: str | None) -> Region:
    """The region an import covers: the given township/county, else the actor's own region."""
    require_role(actor, MAINTAIN_ROLES, "导入补贴对象底册")
    region = Region.objects.get(code=Region.full_code(region_code)) if region_code else actor.region
    if region is None or region.level not in (3, 4):
        raise Forbidden("REGISTER_IMPORT_REGION_LEVEL")
    require_region(actor, region.code, "导入")
    return region


@transaction.atomic
def register_import_start(*, actor, data: bytes, file_name: str, region_code: str | None = None) -> RegisterImport:
    """Store the upload (encrypted) and queue its import as a background job with progress."""
    region = import_scope(actor, region_code)
    imp = RegisterImport.objects.create(
        file_name=file_name[:200], file_sha256=hashlib.sha256(data).hexdigest(), file_size=len(data),
        region=region, actor=actor, upload_enc=vault().encrypt_bytes(data, purpose=UPLOAD_PURPOSE),
    )
    job = job_services.enqueue(
        actor=actor, kind=JOB_KIND, title=f"底册导入：{file_name[:80]}", key=f"registry.import:{imp.pk}",
        params={"import_id": imp.pk},
    )
    RegisterImport.objects.filter(pk=imp.pk).update(job=job)
    imp.job = job
    return imp


def register_import_run(*, import_id: int, progress=None) -> RegisterImport:
    """Run a queued import (the job handler). Safe to call twice: a finished import is left alone.
    The claim is part of the import's transaction: a process killed mid-import leaves it queued
    (not "running" forever), and the job's retry runs it again. Any other failure rolls the import
    back, marks it failed in a fresh transaction with a generic message and a reference id (the
    details go to the server log without personal data) and raises Refusal IMPORT_FAILED."""
    try:
        return _run_register_import(import_id, progress)
    except Exception as exc:
        ref = log_failure(log, f"register import {import_id}", exc)
        _mark_failed(import_id, ref)
        raise Refusal("IMPORT_FAILED", ref=ref) from exc


def _mark_failed(import_id: int, ref: str) -> None:
    failure = Refusal("IMPORT_FAILED", ref=ref)
    errors = [{"line": 0, "column": "", "value": "", "message": failure.message, "code": failure.code}]
    with transaction.atomic():
        changed = RegisterImport.objects.filter(pk=import_id, state__in=(ImportState.QUEUED, ImportState.RUNNING)).update(
            state=ImportState.FAILED, error_count=1, upload_enc=b"", finished_at=timezone.now(),
            errors_enc=vault().encrypt(json.dumps(errors, ensure_ascii=False)))
        if changed:
            imp = RegisterImport.objects.get(pk=import_id)
            record(actor=imp.actor, action="registry.register_import_failed", obj=imp,
                   after={"file": imp.file_name, "sha256": imp.file_sha256, "code": failure.code, "ref": ref})


def _run_register_import(import_id: int, progress) -> RegisterImport:
    with transaction.atomic():
        claimed = RegisterImport.objects.filter(pk=import_id, state=ImportState.QUEUED).update(state=ImportState.RUNNING)
        imp = RegisterImport.objects.select_related("region", "actor").get(pk=import_id)
        if not claimed:
            return imp
        data = vault().decrypt_bytes(bytes(imp.upload_enc), purpose=UPLOAD_PURPOSE)
        return _execute(imp, data, progress)


def register_file_import(*, actor, path, region_code: str, progress=None) -> RegisterImport:
    """Import a file from disk right away (operators' command line and benchmarks; streams the file)."""
    region = Region.objects.get(code=Region.full_code(region_code))
    if actor is not None:
        region = import_scope(actor, region.code)
    sha, size = sha256_of(path)
    imp = RegisterImport.objects.create(
        file_name=str(path).rsplit("/", 1)[-1][:200], file_sha256=sha, file_size=size, region=region,
        actor=actor, state=ImportState.RUNNING,
    )
    return _execute(imp, path, progress)


def _execute(imp: RegisterImport, source, progress) -> RegisterImport:
    v = vault()
    with transaction.atomic():
        try:
            with transaction.atomic():
                bulk.lock_for_import(Person, BankAccount, Household, OrgPayee)
                outcome = run_import(source=source, filename=imp.file_name, register_import=imp, actor=imp.actor,
                                     scope=imp.region, vault=v, today=timezone.localdate(), progress=progress)
                if not outcome.ok:
                    raise _Rejected(outcome)
        except _Rejected as rejected:
            outcome = rejected.outcome
        errors = ([{"line": 0, "column": "", "value": "", "message": outcome.file_error, "code": outcome.file_code}]
                  if outcome.file_error else []) + [
            {"line": e.line, "column": e.column, "value": e.value, "message": e.message} for e in outcome.errors
        ]
        c = outcome.counts
        RegisterImport.objects.filter(pk=imp.pk).update(
            state=ImportState.DONE if outcome.ok else ImportState.REJECTED, rows=outcome.rows, created=c.created,
            updated=c.updated, unchanged=c.unchanged, events=c.events, error_count=outcome.error_count,
            errors_enc=v.encrypt(json.dumps(errors, ensure_ascii=False)) if errors else "",
            summary=outcome.summary(), upload_enc=b"", finished_at=timezone.now(),
        )
        imp.refresh_from_db()
        record(
            actor=imp.actor,
            action="registry.register_import" if outcome.ok else "registry.register_import_rejected",
            obj=imp,
            after={"file": imp.file_name, "sha256": imp.file_sha256, "region": imp.region_id, **outcome.summary()},
        )
    return imp


def import_errors(imp: RegisterImport) -> list[dict]:
    """The stored error list of an import (decrypted; for the import page)."""
    return json.loads(vault().decrypt(imp.errors_enc)) if imp.errors_enc else []
