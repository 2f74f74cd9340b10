"""Payments end to end on PostgreSQL: a 1,000,000-item finance-approved batch through the services —
order, treasury release, payment file written and delivered to the outbox (`orders.order_send`), the bank
simulator's result file (1% of items failed), ingestion (`ingest.bank_answer_ingest`) — beside a baseline measured
in the same run: the same lines written and read with Python's csv module.

    .venv/bin/python benchmarks/bench_payments.py      # standalone; or via benchmarks/run.py

Timed (inside the step's own process, so peak RSS belongs to that step):
    send     orders.order_send: lines streamed from the database, PII decrypted, file written (GB18030,
             HMAC), archived (BankFile) and delivered to the outbox folder
    ingest   ingest.bank_answer_ingest of the result file: MAC, totals, every line matched, line statuses
             written set-based, quota paid/released, batch transition; the SMS notices job is
             queued on commit
    sms      that notices job run as a worker would (reported apart: not part of the answer)
    csv_write  csv.writer of the same H/D/T rows to a file (rows prepared before timing)
    csv_read   list(csv.reader(...)) of the same result file from disk
Also reported, not targeted: fixture build, order_create, release, the simulator's answer.

Environment: YKT_BENCH_PAYMENTS_PG (default postgres://postgres@127.0.0.1:5432/ykt_paybench; dropped
and created), YKT_BENCH_PAYMENTS_ITEMS (default 1000000), YKT_BENCH_PAYMENTS_FAIL_RATE (default 0.01).
Target: send and ingest each at most 3x their baseline; peak RSS under 1 GB.
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

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ykt_paybench"
PY = str(ROOT / ".venv" / "bin" / "python")
TARGET_RATIO = 3.0
RSS_LIMIT_MB = 1024
NAMES = ("张三", "李四", "王五", "欧阳娜娜", "赵六", "亅二")  # 亅 encodes as 0x81 0x7C: a "|" trail byte


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _id_number(i: int) -> str:
    """A valid ID number, distinct for every i below 10 million (a birth date per thousand, the
    sequence within it): the duplicate-payment guard rightly refuses a batch that pays one person twice."""
    born = dt.date(1940, 1, 1) + dt.timedelta(days=i // 1000)
    body = f"141024{born:%Y%m%d}{i % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return body + check


# ---- steps, each run in a child process with Django set up -------------------------------------

def _fixture(n: int, work: Path) -> dict:
    """A finance-approved batch of n items in the demo county (set-based: COPY), its order, released."""
    from stdnum.luhn import calc_check_digit

    from django.db import connection, transaction
    from django.db.models import F

    from yikatong.accounts.models import User
    from yikatong.core.masking import mask_card, mask_id_number, mask_phone
    from yikatong.funds.models import FundQuota
    from yikatong.funds.selectors import quotas_for_batch
    from yikatong.payments import services
    from yikatong.core.bulk import insert_rows
    from yikatong.payments.models import BankAgreement
    from yikatong.core.crypto import vault
    from yikatong.rosters import services as rosters
    from yikatong.rosters.models import Batch, BatchItem

    users = {u.username: u for u in User.objects.filter(username__in=["zhan", "czj_ks", "guoku"])}
    town = users["zhan"].region
    agreement = BankAgreement.objects.get()
    demo = Batch.objects.filter(region=town, kind="normal").order_by("pk").first()  # the demo's policy and rate
    policy, amount = demo.policy, demo.items.order_by("seq").first().amount_fen
    started = time.perf_counter()
    batch = rosters.batch_create(actor=users["zhan"], policy=policy, period="2026-12", region=town)
    v = vault()
    columns = ("batch_id", "seq", "item_ref", "name", "id_enc", "id_bidx", "id_masked", "is_org", "household_no",
               "relation", "phone_enc", "phone_bidx", "phone_masked", "bank_name", "account_enc", "account_bidx", "account_masked",
               "account_holder", "quantity", "amount_fen", "memo", "status", "removed_reason", "warnings", "compare")

    def rows():
        for i in range(1, n + 1):
            idn = _id_number(i)
            card = f"6228480{i:011d}"
            card += calc_check_digit(card)
            phone = f"139{i:08d}"
            yield (batch.pk, i, f"{batch.code}-{i:07d}", NAMES[i % len(NAMES)], v.encrypt(idn), v.id_index(idn),
                   mask_id_number(idn), False, "", "", v.encrypt(phone), v.index(phone), mask_phone(phone), "", v.encrypt(card),
                   v.index(card), mask_card(card), "", 1, amount, "", "active", "", "[]", "[]")

    with transaction.atomic():
        insert_rows(BatchItem, columns, rows())
        Batch.objects.filter(pk=batch.pk).update(item_count=n, total_fen=n * amount, state="approved")
        quota = quotas_for_batch(batch).order_by("pk").first()
        FundQuota.objects.filter(pk=quota.pk).update(received_fen=F("received_fen") + n * amount,
                                                     county_fen=F("county_fen") + n * amount)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    fixture_s = time.perf_counter() - started
    started = time.perf_counter()
    order = services.order_create(actor=users["czj_ks"], batch_id=batch.pk, agreement_id=agreement.pk)
    create_s = time.perf_counter() - started
    started = time.perf_counter()
    services.order_release(actor=users["guoku"], order_id=order.pk)
    release_s = time.perf_counter() - started
    return {"order_id": order.pk, "total_fen": n * amount, "fixture_seconds": round(fixture_s, 2),
            "create_order_seconds": round(create_s, 2), "release_seconds": round(release_s, 2)}


def _send(order_id: int, work: Path) -> dict:
    from yikatong.accounts.models import User
    from yikatong.payments import services

    treasury = User.objects.get(username="guoku")
    before = _peak_rss_mb()
    started = time.perf_counter()
    order = services.order_send(actor=treasury, order_id=order_id)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(_peak_rss_mb()), "rss_before_mb": round(before),
            "filename": order.payment_file.filename, "bytes": order.payment_file.size}


def _bank(filename: str, work: Path, fail_rate: float) -> dict:
    from django.conf import settings

    from yikatong.banksim.options import SimOptions
    from yikatong.banksim.services import payment_file_process

    data = (Path(settings.YKT_BANK_OUTBOX) / filename).read_bytes()
    started = time.perf_counter()
    answer = payment_file_process(actor=None, filename=filename, data=data, options=SimOptions(fail_rate=fail_rate,
                                                                                                   seed=7))
    seconds = time.perf_counter() - started
    (work / answer.filename).write_bytes(answer.data)
    r = answer.received
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(_peak_rss_mb()), "answer": answer.filename,
            "kind": r.answer_kind, "ok_count": r.ok_count, "fail_count": r.fail_count, "bytes": len(answer.data)}


def _ingest(answer: str, work: Path) -> dict:
    from yikatong.accounts.models import User
    from yikatong.payments import services

    treasury = User.objects.get(username="guoku")
    data = (work / answer).read_bytes()
    before = _peak_rss_mb()
    started = time.perf_counter()
    result = services.bank_answer_ingest(actor=treasury, filename=answer, data=data)
    seconds = time.perf_counter() - started
    order = result.order
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(_peak_rss_mb()), "rss_before_mb": round(before),
            "created": result.created, "state": order.state, "paid_count": order.paid_count,
            "failed_count": order.failed_count}


def _sms(order_id: int, work: Path) -> dict:
    """The notices job the ingest queued on commit, run here (as a worker would) and timed apart."""
    from yikatong.jobs.models import Job
    from yikatong.jobs.services import run as run_job

    job = Job.objects.get(key=f"payments:sms:{order_id}")
    started = time.perf_counter()
    job = run_job(job.pk)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(_peak_rss_mb()), "state": job.state,
            "queued": (job.result or {}).get("queued", 0)}


def _check(order_id: int, total_fen: int) -> dict:
    """After ingestion: every line answered, each origin paid at most once, every fen accounted for."""
    from django.db.models import Count, Sum

    from yikatong.payments.models import PaymentOrder, PaymentOrderItem, SmsNotice

    order = PaymentOrder.objects.get(pk=order_id)
    by_status = dict(order.items.values_list("status").annotate(n=Count("id")))
    sums = order.items.values("status").annotate(s=Sum("amount_fen"))
    fen = {row["status"]: row["s"] for row in sums}
    twice = (PaymentOrderItem.objects.filter(status="paid").values("origin").annotate(n=Count("id"))
             .filter(n__gt=1).count())
    return {"by_status": by_status, "paid_fen": fen.get("paid", 0), "failed_fen": fen.get("failed", 0),
            "paid_twice": twice, "sms_queued": SmsNotice.objects.filter(line__order=order).count(),
            "balanced": fen.get("paid", 0) + fen.get("failed", 0) == total_fen == order.total_fen
            and order.paid_fen == fen.get("paid", 0)}


def _csv_write(filename: str, work: Path) -> dict:
    """Baseline: the payment file's rows (read back beforehand, not timed) written by csv.writer."""
    import csv

    from django.conf import settings

    data = (Path(settings.YKT_BANK_OUTBOX) / filename).read_bytes()
    rows = [line.split("|") for line in data.decode("gb18030").split("\r\n") if line]
    del data
    before = _peak_rss_mb()
    started = time.perf_counter()
    with open(work / "baseline.csv", "w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh, delimiter="|", lineterminator="\r\n", quoting=csv.QUOTE_NONE)
        for row in rows:
            writer.writerow(row)
    seconds = time.perf_counter() - started
    assert (work / "baseline.csv").stat().st_size > 0
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(_peak_rss_mb()), "rss_before_mb": round(before)}


def _csv_read(answer: str, work: Path) -> dict:
    import csv

    before = _peak_rss_mb()
    started = time.perf_counter()
    with open(work / answer, encoding="gb18030", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="|"))
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(_peak_rss_mb()), "rss_before_mb": round(before),
            "rows": len(rows)}


def _child(step: str, args: list[str]) -> dict:
    import django

    django.setup()
    work = Path(os.environ["YKT_BENCH_WORK"])
    if step == "fixture":
        return _fixture(int(args[0]), work)
    if step == "send":
        return _send(int(args[0]), work)
    if step == "bank":
        return _bank(args[0], work, float(args[1]))
    if step == "ingest":
        return _ingest(args[0], work)
    if step == "sms":
        return _sms(int(args[0]), work)
    if step == "check":
        return _check(int(args[0]), int(args[1]))
    if step == "csv_write":
        return _csv_write(args[0], work)
    if step == "csv_read":
        return _csv_read(args[0], work)
    raise SystemExit(f"unknown step {step}")


# ---- the parent ------------------------------------------------------------------------------

def _spawn(step: str, env: dict, *args) -> dict:
    proc = subprocess.run([PY, str(Path(__file__).resolve()), "--child", step, *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if os.environ.get("YKT_BENCH_PROFILE") == step:
        sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        raise RuntimeError(f"{step} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _ratio(ours: float, base: float) -> float:
    return round(ours / base, 2) if base > 0 else float("inf")


def run() -> dict:
    import psycopg

    url = os.environ.get("YKT_BENCH_PAYMENTS_PG", DEFAULT_URL)
    n = int(os.environ.get("YKT_BENCH_PAYMENTS_ITEMS", "1000000"))
    fail_rate = float(os.environ.get("YKT_BENCH_PAYMENTS_FAIL_RATE", "0.01"))
    admin, dbname = url.rsplit("/", 1)[0] + "/postgres", url.rsplit("/", 1)[1]
    try:
        with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{dbname}"')
    except psycopg.OperationalError as exc:
        return {"skipped": f"PostgreSQL not reachable: {exc}"}
    work = Path(tempfile.mkdtemp(prefix="ykt-bench-payments-"))
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yikatong.settings",
           "YKT_BANK_OUTBOX": str(work / "outbox"), "YKT_BANK_INBOX": str(work / "inbox"),
           "YKT_BENCH_WORK": str(work), "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    try:
        ykt = str(ROOT / ".venv" / "bin" / "yikatong")
        subprocess.run([ykt, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run([ykt, "demo", "--size", "600"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        fixture = _spawn("fixture", env, n)
        send = _spawn("send", env, fixture["order_id"])
        bank = _spawn("bank", env, send["filename"], fail_rate)
        ingest = _spawn("ingest", env, bank["answer"])
        sms = _spawn("sms", env, fixture["order_id"])
        check = _spawn("check", env, fixture["order_id"], fixture["total_fen"])
        csv_write = _spawn("csv_write", env, send["filename"])
        csv_read = _spawn("csv_read", env, bank["answer"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures = {
        "items": n, "fail_rate": fail_rate, "payment_file_mb": round(send["bytes"] / 1e6, 1),
        "result_file_mb": round(bank["bytes"] / 1e6, 1),
        "fixture_seconds": fixture["fixture_seconds"], "create_order_seconds": fixture["create_order_seconds"],
        "release_seconds": fixture["release_seconds"], "bank_simulator_seconds": bank["seconds"],
        "send_seconds": send["seconds"], "send_peak_rss_mb": send["peak_rss_mb"],
        "csv_write_seconds": csv_write["seconds"], "csv_write_peak_rss_mb": csv_write["peak_rss_mb"],
        "ingest_seconds": ingest["seconds"], "ingest_peak_rss_mb": ingest["peak_rss_mb"],
        "csv_read_seconds": csv_read["seconds"], "csv_read_peak_rss_mb": csv_read["peak_rss_mb"],
        "send_ratio": _ratio(send["seconds"], csv_write["seconds"]),
        "ingest_ratio": _ratio(ingest["seconds"], csv_read["seconds"]),
        "paid": check["by_status"].get("paid", 0), "failed": check["by_status"].get("failed", 0),
        "paid_twice": check["paid_twice"], "balanced": check["balanced"], "sms_queued": check["sms_queued"],
        "sms_job_seconds": sms["seconds"], "sms_job_peak_rss_mb": sms["peak_rss_mb"],
        "target_ratio": TARGET_RATIO,
    }
    figures["ok"] = (figures["send_ratio"] <= TARGET_RATIO and figures["ingest_ratio"] <= TARGET_RATIO
                     and max(send["peak_rss_mb"], ingest["peak_rss_mb"]) < RSS_LIMIT_MB
                     and check["balanced"] and check["paid_twice"] == 0 and figures["paid"] + figures["failed"] == n
                     and ingest["created"])
    return figures


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        if os.environ.get("YKT_BENCH_PROFILE") == sys.argv[2]:  # developer aid: profile one step
            import cProfile
            import pstats

            with cProfile.Profile() as prof:
                out = _child(sys.argv[2], sys.argv[3:])
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
            print(json.dumps(out))
        else:
            print(json.dumps(_child(sys.argv[2], sys.argv[3:])))
    else:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
