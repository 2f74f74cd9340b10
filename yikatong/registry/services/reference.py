"""Loading a snapshot of another agency's data (共享比对数据). Atomic: a file with errors loads nothing."""
from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core import bulk
from yikatong.core import uploads
from yikatong.core.crypto import vault
from yikatong.core.identifiers import IdentifierError, parse_id_number, validate_account_number
from yikatong.core.refusals import invalid, message_for
from yikatong.core.sheets import CellError, SheetError, open_sheet
from yikatong.regions.models import Region
from yikatong.regions.selectors import region_or_refuse

from .. import errors  # noqa: F401  (the refusal catalogue)
from ..choices import ACCOUNT_STATUS_WORDS, DatasetKind
from ..files import sha256_of
from ..models import ReferenceRecord, ReferenceSnapshot
from ..permissions import REFERENCE_LOAD_ROLES, require_region, require_role
from ..reference import DATASETS, ID, NAME

CHUNK = 2000
HEADER_CODES = frozenset({"SHEET_COLUMN_MISSING", "SHEET_HEADER_NOT_FOUND"})


class ReferenceFileError(ValidationError):
    """The file was refused; `errors` name row and column; `code` is REFERENCE_FILE_REFUSED,
    REFERENCE_FILE_EMPTY for a file without data rows, or the sheet's own code for a header without
    a required column (SHEET_COLUMN_MISSING: one message naming the column and its accepted names)
    or without any header (SHEET_HEADER_NOT_FOUND)."""

    def __init__(self, errors: list[CellError | str], code: str = "REFERENCE_FILE_REFUSED"):
        self.errors_list = [str(e) for e in errors]
        super().__init__(self.errors_list[:50])
        self.code = code  # a list ValidationError has none of its own; core.refusals.code_of reads it


def _parse(spec, row, headers, today) -> tuple[dict | None, list[CellError]]:
    errors = list(row.errors)
    v = row.values

    def err(col, message):
        errors.append(CellError(row.line, headers.get(col, col), v.get(col, ""), message))

    try:
        number = parse_id_number(v[ID.name], today=today).number if v[ID.name] else ""
        if not number and not row.errors:
            err(ID.name, f"{headers.get(ID.name, ID.name)}不能为空")
    except IdentifierError as exc:
        number = ""
        err(ID.name, str(exc))
    related = account = ""
    if spec.related_id_column and v[spec.related_id_column]:
        try:
            related = parse_id_number(v[spec.related_id_column], today=today).number
        except IdentifierError as exc:
            err(spec.related_id_column, str(exc).replace("身份证号码", spec.related_id_column, 1))
    if spec.account_column and v[spec.account_column]:
        try:
            account = validate_account_number(v[spec.account_column], card=False)
        except IdentifierError as exc:
            err(spec.account_column, str(exc))
    for col in spec.columns:
        if col.required and not v[col.name] and not any(e.column == headers.get(col.name) for e in errors):
            err(col.name, f"{headers.get(col.name, col.name)}不能为空")
    status = ""
    if spec.kind == DatasetKind.SSC_STATUS and v.get("卡状态"):
        status = ACCOUNT_STATUS_WORDS.get(v["卡状态"].strip(), "")
        if not status:
            err("卡状态", f"{headers.get('卡状态', '卡状态')}“{v['卡状态']}”无法识别，应为正常、未激活、挂失、冻结或注销")
    if errors:
        return None, errors
    skip = {spec.related_id_column, spec.account_column, spec.date_column}
    return {
        "number": number, "name": v[NAME.name], "related": related, "account": account,
        "date": dt.date.fromisoformat(v[spec.date_column]) if spec.date_column and v[spec.date_column] else None,
        "attrs": {c.name: v[c.name] for c in spec.columns if c.name not in skip and v[c.name]},
        "status": status,
    }, []


def _load_rows(reader, spec, snap, today, v, errors: list[CellError]) -> int:
    """Parse and insert the rows in chunks (nothing more is inserted after the first error); the count."""
    count, chunk = 0, []
    for row in reader:
        parsed, errs = _parse(spec, row, reader.headers, today)
        errors.extend(errs)
        count += 1
        if parsed and not errors:
            chunk.append(ReferenceRecord(
                snapshot=snap, id_bidx=v.id_index(parsed["number"]), id_enc=v.encrypt(parsed["number"]),
                name=parsed["name"], related_id_bidx=v.id_index(parsed["related"]) if parsed["related"] else "",
                related_id_enc=v.encrypt(parsed["related"]), account_bidx=v.index(parsed["account"]),
                account_enc=v.encrypt(parsed["account"]), event_date=parsed["date"], attrs=parsed["attrs"],
                status=parsed["status"],
            ))
        if len(chunk) >= CHUNK:
            bulk.insert(ReferenceRecord, chunk)
            chunk = []
    if chunk and not errors:
        bulk.insert(ReferenceRecord, chunk)
    return count


@transaction.atomic
def reference_load(*, actor, dataset: str, source_agency: str, as_of: dt.date, source, file_name: str,
                   region_code: str | None = None) -> ReferenceSnapshot:
    """Load one snapshot; it supersedes the current one of the same dataset, agency and region.
    `source` is bytes, a path or a binary file. `actor=None` only for system loads (demo).
    The snapshot's `warnings` (not stored; the audit event keeps `unknown_columns`) report the header
    cells that name no column of the dataset: they are ignored (SHEET_COLUMNS_UNKNOWN)."""
    if actor is not None:
        require_role(actor, REFERENCE_LOAD_ROLES, "导入共享比对数据")
    spec = DATASETS.get(dataset)
    if spec is None:
        raise invalid("REFERENCE_DATASET_UNKNOWN")
    if not source_agency.strip():
        raise invalid("REFERENCE_AGENCY_REQUIRED")
    region = Region.objects.get(code=Region.full_code(region_code)) if region_code else actor.region
    if actor is not None:
        require_region(actor, region.code, "导入")
    try:
        reader = open_sheet(source, spec.all_columns, filename=file_name)
    except SheetError as exc:
        code = exc.code if exc.code in HEADER_CODES else "REFERENCE_FILE_REFUSED"
        raise ReferenceFileError([uploads.shown(exc)], code=code) from exc
    # columns nobody asked for are read past and reported, never a reason to refuse the file
    unknown = list(reader.unknown_headers)
    v, today = vault(), timezone.localdate()
    sha = sha256_of(source)[0] if isinstance(source, (bytes, str, PurePath)) else ""
    ReferenceSnapshot.objects.filter(
        dataset=dataset, source_agency=source_agency.strip(), region=region, is_current=True
    ).update(is_current=False)
    snap = ReferenceSnapshot.objects.create(
        dataset=dataset, source_agency=source_agency.strip()[:60], as_of=as_of, region=region,
        file_name=file_name[:200], loaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    errors: list[CellError] = []
    with reader:
        try:
            count = _load_rows(reader, spec, snap, today, v, errors)
        except SheetError as exc:  # e.g. a byte that is not text deep in a CSV, or a crashed parser
            raise ReferenceFileError([uploads.shown(exc)]) from exc
        errors.extend(reader.errors)
    if errors:
        raise ReferenceFileError(sorted(errors, key=lambda e: e.line))
    if not count:
        raise ReferenceFileError([message_for("REFERENCE_FILE_EMPTY")], code="REFERENCE_FILE_EMPTY")
    ReferenceSnapshot.objects.filter(pk=snap.pk).update(row_count=count, file_sha256=sha)
    snap.row_count, snap.file_sha256 = count, sha
    snap.warnings = [message_for("SHEET_COLUMNS_UNKNOWN", columns="、".join(f"“{h}”" for h in unknown))] if unknown else []
    record(
        actor=actor, action="registry.reference_load", obj=snap,
        after={"dataset": dataset, "source_agency": snap.source_agency, "as_of": as_of.isoformat(),
               "region": region.code, "rows": count, "file": snap.file_name,
               **({"unknown_columns": unknown} if unknown else {})},
    )
    return snap


# The names the API and scripts use for the datasets (issue 17), besides the dataset codes themselves.
KIND_ALIASES = {
    "deaths": DatasetKind.DEATHS, "hukou": DatasetKind.HOUSEHOLD, "staff": DatasetKind.STATE_PAID,
    "cadres": DatasetKind.CADRES, "cadre_relatives": DatasetKind.CADRES, "vehicles": DatasetKind.VEHICLES,
    "real_estate": DatasetKind.REAL_ESTATE, "businesses": DatasetKind.BUSINESS, "cards": DatasetKind.SSC_STATUS,
}
UPLOAD_PURPOSE = b"registry-reference-upload"
JOB_KIND = "yikatong.registry.tasks.reference_load_job"


def dataset_for(kind: str) -> str:
    """The dataset code of an API kind (deaths, hukou, staff, …) or of a dataset code; else REFERENCE_KIND_UNKNOWN."""
    kind = (kind or "").strip()
    dataset = KIND_ALIASES.get(kind) or (kind if kind in DATASETS else None)
    if dataset is None:
        raise invalid("REFERENCE_KIND_UNKNOWN", kind=kind, kinds="、".join(KIND_ALIASES))
    return str(dataset)


@transaction.atomic
def reference_load_start(*, actor, kind: str, source_agency: str, as_of: dt.date, data: bytes, file_name: str,
                         region_code: str | None = None):
    """Queue the load of one snapshot as a background job (the API): role, dataset, agency and region are
    checked now, as reference_load checks them; the file waits encrypted in the job's parameters and
    the job calls reference_load as the actor (its one audit event `registry.reference_load`)."""
    import base64

    from yikatong.jobs import services as job_services

    require_role(actor, REFERENCE_LOAD_ROLES, "导入共享比对数据")
    dataset = dataset_for(kind)
    if not source_agency.strip():
        raise invalid("REFERENCE_AGENCY_REQUIRED")
    region = region_or_refuse(region_code) if region_code else actor.region
    if region is None:  # a user without an organization, no region given
        raise invalid("REGION_UNKNOWN", region="")
    require_region(actor, region.code, "导入")
    blob = vault().encrypt_bytes(data, purpose=UPLOAD_PURPOSE)
    return job_services.enqueue(
        actor=actor, kind=JOB_KIND, title=f"共享比对数据导入：{file_name[:80]}",
        key=f"registry.reference:{dataset}:{region.code}:{sha256_of(data)[0][:16]}",
        params={"dataset": dataset, "source_agency": source_agency.strip()[:60], "as_of": as_of.isoformat(),
                "region": region.code, "file_name": file_name[:200], "file": base64.b64encode(blob).decode()},
    )


def reference_load_run(job) -> ReferenceSnapshot:
    """The job of reference_load_start: decrypt the staged file and load it as the job's owner."""
    import base64

    p = job.params
    data = vault().decrypt_bytes(base64.b64decode(p["file"]), purpose=UPLOAD_PURPOSE)
    return reference_load(actor=job.owner, dataset=p["dataset"], source_agency=p["source_agency"],
                          as_of=dt.date.fromisoformat(p["as_of"]), source=data, file_name=p["file_name"],
                          region_code=p["region"])
