"""Monitoring report (issue 16 §1) of a county with 1,000,000 roster items in the month, on PostgreSQL and SQLite.

    .venv/bin/python benchmarks/bench_reports.py          # standalone; or via benchmarks/run.py reports

For each backend, in subprocesses (each step its own process):
  1. `yikatong migrate`, `yikatong demo --size 600` (the demo county: townships, villages, users, policies,
     the bank agreement);
  2. fixture (timed, reported), written set-based with core.bulk.insert_rows (COPY on PostgreSQL, executemany on
     SQLite): N/4 register persons with a current card account (80% activated); one paid batch per policy and
     township of 2026-11 holding N items (every 4th of a register person, household numbers) and, as noise that
     must not be counted, N/10 items in batches of 2026-10; one answered order per November batch with a line per
     item (1% failed), a fund return per order; findings on 1% of the items; two notices per batch; 500
     complaints. ANALYZE (VACUUM ANALYZE on PostgreSQL). The rows are counted afterwards (`fixture_written`);
  3. measure: `reports.services.report_build` of the county's report for 2026-11 (profile 003, the finance
     bureau's county report, 003_county_monthly) — every figure group's aggregate query plus the write of the
     draft and its audit event — run three times; `build_seconds` is the first, `build_seconds_best` the best.
     The report's totals are checked against the fixture (items, paid and failed lines and amounts, findings,
     notices, complaints, card accounts).

Environment: YKT_BENCH_REPORTS_ITEMS (default 1000000), YKT_BENCH_REPORTS_PG (default: DATABASE_URL when it is
PostgreSQL, else postgres://postgres@127.0.0.1:5432/ykt_bench_reports; dropped and created; skipped when
unreachable), YKT_BENCH_REPORTS_SQLITE=0 skips SQLite. Target: build < 10 s on PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import child_support  # noqa: E402  (benchmarks/child_support.py)

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/ykt_bench_reports"
TARGET_SECONDS = 10.0
PERIOD, NOISE_PERIOD = "2026-11", "2026-10"
AMOUNT_FEN = 12_345
COMPLAINTS = 500


def _fixture(n: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from yikatong.accounts.models import User
    from yikatong.checks.models import Finding, Rule
    from yikatong.core.bulk import insert_rows, reserve_ids
    from yikatong.disclosure.models import Complaint
    from yikatong.payments.models import BankAgreement, FundReturn, PaymentOrder, PaymentOrderItem
    from yikatong.policies.models import Policy
    from yikatong.regions.models import Region
    from yikatong.registry.models import BankAccount, Person
    from yikatong.registry.upsert import ACCOUNT_COLUMNS, PERSON_COLUMNS
    from yikatong.rosters.models import Batch, BatchItem, Notice

    users = {u.username: u for u in User.objects.filter(username__in=["zhan", "czj_ks"])}
    county = users["czj_ks"].organization.region
    towns = list(Region.objects.filter(code__startswith=county.prefix, level=4).order_by("code"))
    villages = list(Region.objects.filter(code__startswith=county.prefix, level=5).values_list("code", flat=True))
    demo_batch = Batch.objects.filter(region__code__startswith=county.prefix).order_by("pk").first()
    policies = list(Policy.objects.filter(catalogue=demo_batch.policy.catalogue).order_by("pk")[:3])
    agreement, rule = BankAgreement.objects.order_by("pk").first(), Rule.objects.order_by("pk").first()
    now = timezone.now()
    paid_at = dt.datetime(2026, 11, 20, 2, tzinfo=dt.timezone.utc)
    started = time.perf_counter()
    with transaction.atomic():
        def batches(period, state, tag):
            return [Batch.objects.create(code=f"BR-{tag}-{p.code}-{t.code}", policy=p, period=period, region=t,
                                         department=p.department, profile_code="003", state=state, state_since=now,
                                         created_by=users["zhan"], item_count=0, total_fen=0)
                    for p in policies for t in towns]
        nov, oct_ = batches(PERIOD, "paid", "11"), batches(NOISE_PERIOD, "paid", "10")
        n_persons, noise = n // 4, n // 10
        person_ids = reserve_ids(Person, n_persons)
        insert_rows(Person, PERSON_COLUMNS, ((f"人{i}", "enc", f"rp{i:062d}", f"rm{i:062d}", dt.date(1960, 1, 1), "1",
                                              None, "", villages[i % len(villages)], "", "", "normal", None, "", None,
                                              now, now) for i in range(n_persons)), ids=person_ids)
        insert_rows(BankAccount, ACCOUNT_COLUMNS, ((pid, None, "ssc", "农业银行", "enc", f"ra{i:062d}", f"人{i}",
                                                    "active" if i % 5 else "unactivated", True, None, None, None,
                                                    now, now) for i, pid in enumerate(person_ids)))
        columns = ("batch_id", "seq", "item_ref", "name", "id_enc", "id_bidx", "id_masked", "is_org", "person_id",
                   "village_id", "household_no", "relation", "phone_enc", "phone_masked", "bank_name", "account_enc",
                   "account_bidx", "account_masked", "account_holder", "quantity", "amount_fen", "memo", "status",
                   "removed_reason", "warnings", "compare", "phone_bidx")

        def items(group, count, base):
            k = len(group)
            for i in range(count):
                j = base + i
                yield (group[i % k].pk, i // k + 1, f"RI{j:010d}", f"人{j}", "enc", f"ri{j % (n + noise):062d}",
                       "1410**********0000", False, person_ids[i // 4] if i % 4 == 0 and i // 4 < n_persons else None,
                       villages[j % len(villages)], f"H{i // k // 3}", "", "", "", "农业银行", "enc", f"rb{j:062d}",
                       "6228****0000", f"人{j}", 1, AMOUNT_FEN, "", "active", "", "[]", "[]", "")
        item_ids = reserve_ids(BatchItem, n + noise)
        insert_rows(BatchItem, columns, items(nov, n, 0), ids=item_ids[:n])
        insert_rows(BatchItem, columns, items(oct_, noise, n), ids=item_ids[n:])
        per_batch = {b.pk: len(range(x, n, len(nov))) for x, b in enumerate(nov)}
        orders = {b.pk: PaymentOrder.objects.create(
            batch=b, agreement=agreement, batch_no=f"BRO{b.pk}", state="answered", item_count=per_batch[b.pk],
            total_fen=max(1, per_batch[b.pk] * AMOUNT_FEN), created_by=users["czj_ks"]) for b in nov}
        k = len(nov)
        insert_rows(PaymentOrderItem, ("order_id", "seq", "batch_item_id", "origin_id", "item_ref", "amount_fen", "status",
                                       "reason_code", "reason_text", "bank_txn_id", "paid_at", "do_not_repay",
                                       "written_off_reason"),
                    ((orders[nov[i % k].pk].pk, i // k + 1, item_ids[i], item_ids[i], f"RI{i:010d}", AMOUNT_FEN,
                      "failed" if i % 100 == 7 else "paid", "E03" if i % 100 == 7 else "", "", "", paid_at, False, "")
                     for i in range(n)))
        for o in orders.values():
            FundReturn.objects.create(order=o, amount_fen=AMOUNT_FEN, returned_on=dt.date(2026, 11, 21), line_count=1,
                                      receipt_name="回单.pdf", receipt_type="application/pdf", receipt_size=1,
                                      receipt_sha256="0" * 64, receipt_enc=b"x", recorded_by=users["czj_ks"])
        insert_rows(Finding, ("rule_id", "fingerprint", "batch_id", "item_id", "id_bidx", "state", "severity", "message",
                              "evidence", "rule_version", "first_seen_at", "last_seen_at", "reason"),
                    ((rule.pk, f"RF{i}", nov[i % k].pk, item_ids[i], "", ("open", "confirmed", "cleared")[i % 3], "warn",
                      "疑点", "{}", 1, now, now, "") for i in range(0, n, 100)))
        Notice.objects.bulk_create([Notice(batch=b, level=lvl, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 9),
                                           place="公示栏", working_days=5 if lvl == "village" else 3,
                                           recorded_by=users["zhan"]) for b in nov for lvl in ("village", "township")])
        filed = dt.datetime(2026, 11, 10, 2, tzinfo=dt.timezone.utc)
        Complaint.objects.bulk_create([Complaint(
            tracking_no=f"BRC{i:06d}", code_hash="0" * 64, kind="complaint", policy=policies[i % len(policies)],
            region_id=villages[i % len(villages)], township=towns[i % len(towns)], text="投诉", state="answered",
            filed_at=filed, due_on=dt.date(2026, 11, 30), answered_at=filed + dt.timedelta(hours=48 + i % 300))
            for i in range(COMPLAINTS)])
    fixture_s = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    counts = {"items_in_month": BatchItem.objects.filter(batch__period=PERIOD, batch__code__startswith="BR-").count(),
              "items_noise": BatchItem.objects.filter(batch__period=NOISE_PERIOD, batch__code__startswith="BR-").count(),
              "lines": PaymentOrderItem.objects.filter(order__batch_no__startswith="BRO").count(),
              "persons": Person.objects.filter(id_bidx__startswith="rp").count(),
              "findings": Finding.objects.filter(fingerprint__startswith="RF").count()}
    return {"fixture_seconds": round(fixture_s, 1), "counts": counts, "batches": len(nov) + len(oct_)}


def _measure(n: int) -> dict:
    from django.conf import settings

    from yikatong.accounts.models import User
    from yikatong.reports import services

    settings.YKT_PROFILE = "003"
    fin = User.objects.get(username="czj_ks")
    times, report = [], None
    for _ in range(3):
        started = time.perf_counter()
        report = services.report_build(actor=fin, definition="003_county_monthly", period=PERIOD,
                                       today=dt.date(2026, 11, 30))
        times.append(time.perf_counter() - started)
    t = report.content["totals"]
    # the demo county's own November data (small) is counted too: the checks are lower bounds, and the noise of
    # October must stay out
    failed = len(range(7, n, 100))
    checks = {"items": t["items"] >= n, "paid_count": t["paid_count"] >= n - failed,
              "failed_count": t["failed_count"] >= failed, "paid_fen": t["paid_fen"] >= (n - failed) * AMOUNT_FEN,
              "findings": t["findings_raised"] >= len(range(0, n, 100)), "complaints": t["complaints"] >= COMPLAINTS,
              "cards": t["cards"] >= n // 4, "noise_excluded": t["items"] < n + n // 10}
    return {"build_seconds": round(times[0], 2), "build_seconds_best": round(min(times), 2),
            "rows": len(report.content["rows"]), "totals": {k: t[k] for k in ("items", "persons", "households",
            "paid_count", "failed_count", "paid_fen", "findings_raised", "notices", "complaints", "cards",
            "cards_active")}, "checks": checks}


def _child(step: str, args: list[str]) -> dict:
    import django

    django.setup()
    if step == "fixture":
        return _fixture(int(args[0]))
    if step == "measure":
        return _measure(int(args[0]))
    raise SystemExit(f"unknown step {step}")


def _backend(url: str, work: Path, n: int, *, target: float | None) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yikatong.settings", "YKT_PROFILE": "003",
           "YKT_VAR_DIR": str(work / "var"), "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cli = [PY, "-m", "yikatong.cli"]
    started = time.monotonic()
    subprocess.run(cli + ["migrate", "-v0"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run(cli + ["demo", "--size", "600"], env=env, check=True, cwd=ROOT, capture_output=True)
    setup_s = time.monotonic() - started
    fixture = child_support.spawn(__file__, env, "fixture", n)
    measure = child_support.spawn(__file__, env, "measure", n)
    c = fixture["counts"]
    written = c == {"items_in_month": n, "items_noise": n // 10, "lines": n, "persons": n // 4,
                    "findings": len(range(0, n, 100))}
    figures = {"setup_seconds": round(setup_s, 1), **fixture, "fixture_written": written, **measure}
    figures["ok"] = written and all(measure["checks"].values()) and (target is None or measure["build_seconds"] < target)
    return figures


def run() -> dict:
    n = int(os.environ.get("YKT_BENCH_REPORTS_ITEMS", "1000000"))
    work = Path(tempfile.mkdtemp(prefix="ykt-bench-reports-"))
    figures: dict = {"items": n, "target_seconds_pg": TARGET_SECONDS}
    try:
        url = child_support.pg_url("YKT_BENCH_REPORTS_PG", DEFAULT_PG)
        reason = child_support.pg_fresh(url)
        figures["postgresql"] = {"skipped": reason} if reason else _backend(url, work / "pg", n, target=TARGET_SECONDS)
        if os.environ.get("YKT_BENCH_REPORTS_SQLITE", "1") != "0":
            figures["sqlite"] = _backend(f"sqlite:///{work / 'bench.sqlite3'}", work / "sqlite", n, target=None)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures["ok"] = all(figures[b].get("ok", True) for b in ("postgresql", "sqlite") if b in figures)
    return figures


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3:]), ensure_ascii=False))
    else:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
