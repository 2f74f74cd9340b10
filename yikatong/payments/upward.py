"""The upward exchange (issue 16 §6): a county's payment lines of a month written as YKT-UP1 CSV and JSON
(docs/exchange/upward.md) for the provincial/national platform and the 直达资金 monitoring system.

Each run is a new version of (county, month) with its own digests; none is ever replaced. The files carry
full ID numbers (the platforms match people across counties by them), so they are sealed at rest
(core.sealed, upward_format.PURPOSE) and handed only to finance of the county or above (MAKERS), each
download audited by digest; neither an ID nor a row reaches the audit trail or a log.
Made by hand (finance: the page, the API, `yikatong upward export`) or by the monthly job (tasks.py:
last month, counties that have lines and no export yet)."""
from __future__ import annotations

import datetime
import re
import tempfile

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core import sealed
from yikatong.core.refusals import Forbidden
from yikatong.regions.models import Region

from . import upward_selectors as sel
from .errors import PaymentError
from .models import UpwardExport
from .upward_format import FORMAT, PURPOSE, UpwardWriter

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
SPOOL = 8 * 1024 * 1024  # bytes of each file kept in memory before it spills to a temporary file


def last_month(today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return f"{first:%Y-%m}"


def _check(actor, county_code: str, period: str) -> Region:
    if actor is not None and not actor.has_role(*sel.MAKERS):
        raise Forbidden("UPWARD_ROLE_NOT_ALLOWED")
    if not _PERIOD.match(period or "") or period > f"{timezone.localdate():%Y-%m}":
        raise PaymentError("UPWARD_PERIOD_INVALID", period=period)
    code = Region.full_code(county_code) if (county_code or "").isdigit() and len(county_code) in (6, 12) else ""
    county = Region.objects.filter(code=code, level=3).first()
    if county is None:
        raise PaymentError("UPWARD_COUNTY_UNKNOWN", county=county_code)
    if actor is not None and not region_in_scope(actor, county.code):
        raise Forbidden("UPWARD_OUT_OF_SCOPE", county=county.name)
    return county


@transaction.atomic
def upward_export(*, actor, county_code: str, period: str) -> UpwardExport:
    """Write version n+1 of (county, period). `actor` None: the scheduled job (system)."""
    county = _check(actor, county_code, period)
    version = (UpwardExport.objects.filter(county=county, period=period).aggregate(v=Max("version"))["v"] or 0) + 1
    now = timezone.now()
    header = {"format": FORMAT, "county_code": county.code[:6], "period": period, "version": version,
              "generated_at": timezone.localtime(now).isoformat(timespec="seconds")}
    with tempfile.SpooledTemporaryFile(SPOOL) as csv_out, tempfile.SpooledTemporaryFile(SPOOL) as json_out:
        writer = UpwardWriter(csv_out, json_out, header)
        for row in sel.rows(county, period):
            writer.add(row)
        manifest = writer.close()
        csv_out.seek(0)
        json_out.seek(0)
        csv_box = sealed.seal(csv_out.read(), purpose=PURPOSE)
        json_box = sealed.seal(json_out.read(), purpose=PURPOSE)
    t = writer.totals
    try:
        with transaction.atomic():
            export = UpwardExport.objects.create(
                county=county, period=period, version=version, row_count=t.row_count, total_fen=t.total_fen,
                paid_count=t.paid_count, paid_fen=t.paid_fen, failed_count=t.failed_count, failed_fen=t.failed_fen,
                returned_count=t.returned_count, returned_fen=t.returned_fen,
                csv_enc=csv_box.blob, csv_sha256=csv_box.sha256, csv_size=csv_box.size,
                json_enc=json_box.blob, json_sha256=json_box.sha256, json_size=json_box.size,
                made_by=actor, made_at=now)
    except IntegrityError:  # another run took this version number first
        raise PaymentError("UPWARD_EXPORT_CONCURRENT", county=county.name, period=period) from None
    assert manifest["csv_sha256"] == csv_box.sha256
    record(actor=actor, action="payments.upward.export", obj=export, after={
        "county": county.code[:6], "period": period, "version": version, "rows": t.row_count,
        "total_fen": t.total_fen, "csv_sha256": csv_box.sha256, "json_sha256": json_box.sha256})
    return export


def upward_download(*, actor, export_id: int, fmt: str) -> tuple[UpwardExport, bytes]:
    """The plaintext of one file of an export the actor may read (else DoesNotExist: 404); audited by digest."""
    if fmt not in ("csv", "json"):
        raise PaymentError("UPWARD_FORMAT_UNKNOWN", fmt=fmt)
    export = sel.exports_for(actor).get(pk=export_id)
    data = export.data(fmt)
    with transaction.atomic():
        record(actor=actor, action="payments.upward.download", obj=export, after={
            "format": fmt, "rows": export.row_count,
            "sha256": export.csv_sha256 if fmt == "csv" else export.json_sha256})
    return export, data


def upward_export_due(*, period: str | None = None) -> list[UpwardExport]:
    """The scheduled run: last month's first version for every county that has lines and no export yet
    (a retried job makes nothing twice; a new version is made by hand)."""
    period = period or last_month()
    return [upward_export(actor=None, county_code=c.code, period=period) for c in sel.counties_due(period)]
