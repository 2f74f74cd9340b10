"""The upward exchange (issue 16 §6, docs/exchange/upward.md): the manifest equals the ledger for the month
over random data, the files parse back per the doc, a re-run is version 2 with the first kept, finance of
another county or another role is refused with its code, and no clear ID reaches the audit trail."""
import datetime
import json
import random

import pytest
from django.db.models import Sum
from django.utils import timezone

from tests.support.factories import add_item, clone_batch
from yikatong.audit.models import AuditEvent
from yikatong.core.refusals import Refusal
from yikatong.payments import upward
from yikatong.payments.errors import PaymentError
from yikatong.payments.models import (FundReturn, ItemStatus, OrderState, PaymentOrder, PaymentOrderItem,
                                      UpwardExport)
from yikatong.payments.upward_format import NAMES, read_csv, read_json

PERIOD = "2026-11"


def _id(n: int) -> str:
    return f"14102419{50 + n % 40:02d}0101{n:04d}"


def _order(pw, batch, n: int, day: datetime.date, statuses, rng, state=OrderState.ANSWERED):
    items = [add_item(batch, i + 1, f"对象{n}-{i}", _id(n * 100 + i), f"6228480012345{n:03d}{i:03d}",
                      amount_fen=rng.randint(1, 200_000)) for i in range(len(statuses))]
    total = sum(i.amount_fen for i in items)
    order = PaymentOrder.objects.create(batch=batch, agreement=pw.agreement, batch_no=f"141024-2026-{n:06d}",
                                        state=state, item_count=len(items), total_fen=total, business_date=day,
                                        created_by=pw.users["fin"])
    paid = failed = 0
    for seq, (item, status) in enumerate(zip(items, statuses), 1):
        PaymentOrderItem.objects.create(order=order, seq=seq, batch_item=item, origin=item, item_ref=item.item_ref,
                                        amount_fen=item.amount_fen, status=status,
                                        reason_code="E01" if status == ItemStatus.FAILED else "",
                                        paid_at=timezone.now() if status == ItemStatus.PAID else None)
        paid += item.amount_fen if status == ItemStatus.PAID else 0
        failed += item.amount_fen if status == ItemStatus.FAILED else 0
    PaymentOrder.objects.filter(pk=order.pk).update(paid_fen=paid, failed_fen=failed)
    return order


@pytest.fixture
def month(pw, batch, regions, request):
    """Random answered orders of the county in the month, some outside it, one still pending, one of another county
    (the seed: the test's indirect parameter, else 16)."""
    rng = random.Random(getattr(request, "param", 16))
    n = 0
    for k, day in enumerate([datetime.date(2026, 11, 3), datetime.date(2026, 11, 30), datetime.date(2026, 10, 31),
                             datetime.date(2026, 12, 1), datetime.date(2026, 11, 15)]):
        b = clone_batch(batch, regions["town1" if k % 2 else "town2"], f"U{k}")
        n += 1
        statuses = [rng.choice([ItemStatus.PAID, ItemStatus.PAID, ItemStatus.FAILED]) for _ in range(rng.randint(1, 6))]
        o = _order(pw, b, n, day, statuses, rng, state=OrderState.SENT if k == 4 else OrderState.ANSWERED)
        if k == 4:
            PaymentOrderItem.objects.filter(order=o).update(status=ItemStatus.PENDING)
        if k == 0 and ItemStatus.FAILED in statuses:
            FundReturn.objects.create(order=o, amount_fen=o.failed_fen or 1, returned_on=day, line_count=1,
                                      receipt_name="r.png", receipt_type="image/png", receipt_size=1,
                                      receipt_sha256="0" * 64, receipt_enc=b"", recorded_by=pw.users["fin"])
    other = clone_batch(batch, regions["other_county"], "X")
    _order(pw, other, 99, datetime.date(2026, 11, 10), [ItemStatus.PAID], rng)
    return pw


def _ledger(county_prefix: str):
    """The orders' own figures (written by the ingest, independent of the lines) for the month."""
    return PaymentOrder.objects.filter(
        state=OrderState.ANSWERED, business_date__gte=datetime.date(2026, 11, 1),
        business_date__lte=datetime.date(2026, 11, 30), batch__region__code__startswith=county_prefix,
    ).aggregate(paid=Sum("paid_fen"), failed=Sum("failed_fen"))


@pytest.mark.parametrize("month", [16, 2026, 7], indirect=True)
def test_manifest_equals_the_ledger_and_both_files_parse_back(month):
    e = upward.upward_export(actor=month.users["fin"], county_code="141024", period=PERIOD)
    ledger = _ledger("141024")
    assert (e.paid_fen, e.failed_fen, e.total_fen) == (ledger["paid"], ledger["failed"], ledger["paid"] + ledger["failed"])
    header, records, totals = read_csv(e.data("csv"))
    assert header == {"format": "YKT-UP1", "county_code": "141024", "period": PERIOD, "version": 1,
                      "generated_at": header["generated_at"]}
    assert totals["total_fen"] == e.total_fen and totals["row_count"] == e.row_count == len(records)
    jheader, jrecords, manifest = read_json(e.data("json"))
    assert jrecords == records and jheader == header
    assert manifest["csv_sha256"] == e.csv_sha256 and manifest["total_fen"] == e.total_fen
    assert all(list(r) == list(NAMES) for r in jrecords)
    assert {r["county_code"] for r in records} == {"141024"}
    assert all(len(r["payee_id"]) == 18 and r["payee_id"].isdigit() for r in records)  # full ID: the platform matches by it
    assert {r["status"] for r in records} <= {"paid", "failed", "returned"}
    assert all(r["business_date"].startswith(PERIOD) for r in records)
    assert all(r["fund_central_bp"] + r["fund_province_bp"] + r["fund_prefecture_bp"] + r["fund_county_bp"] == 10000
               for r in records)
    assert e.returned_fen == sum(r["amount_fen"] for r in records if r["status"] == "returned")


def test_a_rerun_is_version_2_and_the_first_is_kept(month):
    first = upward.upward_export(actor=month.users["fin"], county_code="141024", period=PERIOD)
    second = upward.upward_export(actor=month.users["fin"], county_code="141024", period=PERIOD)
    assert (first.version, second.version) == (1, 2)
    assert first.json_sha256 != second.json_sha256  # its own header (version, time), its own digest
    assert UpwardExport.objects.filter(county_id=first.county_id, period=PERIOD).count() == 2
    assert read_csv(first.data("csv"))[1] == read_csv(second.data("csv"))[1]
    # the scheduled run leaves a county that has an export alone
    assert [e.county_id[:6] for e in upward.upward_export_due(period=PERIOD)] == ["140702"]


def test_the_scheduled_run_makes_each_due_county_once(month):
    made = upward.upward_export_due(period=PERIOD)
    assert sorted(e.county_id[:6] for e in made) == ["140702", "141024"]
    assert all(e.made_by is None and e.version == 1 for e in made)
    assert upward.upward_export_due(period=PERIOD) == []


@pytest.mark.parametrize("who,county,code", [
    ("other_fin", "141024", "UPWARD_OUT_OF_SCOPE"),
    ("mz_rev", "141024", "UPWARD_ROLE_NOT_ALLOWED"),
    ("gk", "141024", "UPWARD_ROLE_NOT_ALLOWED"),
    ("fin", "140702", "UPWARD_OUT_OF_SCOPE"),
    ("fin", "999999", "UPWARD_COUNTY_UNKNOWN"),
])
def test_refusals_by_scope_and_role(month, who, county, code):
    with pytest.raises(Refusal) as exc:
        upward.upward_export(actor=month.users[who], county_code=county, period=PERIOD)
    assert exc.value.code == code
    assert not UpwardExport.objects.exists()


@pytest.mark.parametrize("period", ["2026-13", "202611", "2999-01", ""])
def test_a_bad_or_future_period_is_refused(month, period):
    with pytest.raises(PaymentError) as exc:
        upward.upward_export(actor=month.users["fin"], county_code="141024", period=period)
    assert exc.value.code == "UPWARD_PERIOD_INVALID"


def test_download_is_finance_in_scope_only_and_audited_without_ids(month, caplog):
    e = upward.upward_export(actor=month.users["fin"], county_code="141024", period=PERIOD)
    _, data = upward.upward_download(actor=month.users["fin"], export_id=e.pk, fmt="json")
    ids = {r["payee_id"] for r in read_json(data)[1]}
    for who in ("other_fin", "mz_rev"):
        with pytest.raises(UpwardExport.DoesNotExist):
            upward.upward_download(actor=month.users[who], export_id=e.pk, fmt="csv")
    with pytest.raises(PaymentError) as exc:
        upward.upward_download(actor=month.users["fin"], export_id=e.pk, fmt="xml")
    assert exc.value.code == "UPWARD_FORMAT_UNKNOWN"
    trail = json.dumps([[a.before, a.after, a.object_repr] for a in AuditEvent.objects.all()], ensure_ascii=False)
    assert AuditEvent.objects.filter(action__startswith="payments.upward.").count() == 2
    assert ids and not any(i in trail or i in caplog.text for i in ids)
    assert ids.isdisjoint(bytes(e.csv_enc).decode("latin-1").split())  # sealed at rest


def test_the_command_exports_and_saves_as_the_user(month, tmp_path):
    import io
    import os

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("upward", "export", "141024", PERIOD, "--as", "fin", stdout=out)
    e = UpwardExport.objects.get()
    assert "第 1 版" in out.getvalue() and e.csv_sha256 in out.getvalue()
    path = tmp_path / "up.csv"
    call_command("upward", "save", str(e.pk), "csv", "--out", str(path), "--as", "fin", stdout=io.StringIO())
    assert read_csv(path.read_bytes())[2]["total_fen"] == e.total_fen and os.stat(path).st_mode & 0o077 == 0
    with pytest.raises(CommandError, match=r"\[UPWARD_EXPORT_NOT_FOUND\]"):
        call_command("upward", "save", str(e.pk), "csv", "--out", str(path), "--as", "other_fin")
    with pytest.raises(CommandError, match=r"\[UPWARD_OUT_OF_SCOPE\]"):
        call_command("upward", "export", "141024", PERIOD, "--as", "other_fin")


def test_the_page_and_the_api(month, client):
    from yikatong.payments.models import UpwardExport as U

    client.force_login(month.users["fin"])
    assert client.get("/payments/upward/").status_code == 200
    resp = client.post("/payments/upward/new/", {"county": "141024", "period": PERIOD})
    assert resp.status_code == 302
    e = U.objects.get()
    resp = client.get(f"/payments/upward/{e.pk}/json/")
    assert resp.status_code == 200 and resp["X-Content-SHA256"] == e.json_sha256
    assert read_json(resp.content)[2]["total_fen"] == e.total_fen
    resp = client.post("/api/payments/upward", {"county": "141024", "period": PERIOD}, content_type="application/json")
    assert resp.status_code == 201 and resp.json()["version"] == 2
    assert [x["version"] for x in client.get("/api/payments/upward").json()] == [2, 1]
    client.force_login(month.users["other_fin"])
    assert client.get(f"/payments/upward/{e.pk}/csv/").status_code == 404
    assert client.get(f"/api/payments/upward/{e.pk}/csv").status_code == 404
    resp = client.post("/api/payments/upward", {"county": "141024", "period": PERIOD}, content_type="application/json")
    assert resp.status_code == 403 and resp.json()["code"] == "UPWARD_OUT_OF_SCOPE"


def test_the_monthly_job_exports_the_due_counties(month):
    from types import SimpleNamespace

    from yikatong.payments.tasks import upward_export_job

    message, result = upward_export_job(SimpleNamespace(params={"period": PERIOD}), None)
    assert message.startswith("生成上报数据文件 2 个") and "141024" not in message
    assert UpwardExport.objects.filter(made_by__isnull=True).count() == 2
    assert upward_export_job(SimpleNamespace(params={"period": PERIOD}), None)[1]["exports"] == []
