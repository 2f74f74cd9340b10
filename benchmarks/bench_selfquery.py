"""Self-query (本人发放查询, issue 15) against a 1,000,000-person register, on SQLite and on PostgreSQL: server-side
latency (p50/p95/p99) and requests/s of the real path, with the rate limits raised so none refuses.

    .venv/bin/python benchmarks/bench_selfquery.py        # standalone; or via benchmarks/run.py selfquery

For each backend, in subprocesses (each step its own process):
  1. `yikatong migrate`, `yikatong demo --size 600` (the demo county: regions, users, policies, bank agreement);
  2. fixture (timed, reported): N register persons written set-based (core.bulk.insert_rows: COPY on PostgreSQL,
     executemany on SQLite) with the real columns — AES-GCM `id_enc`/`phone_enc`, keyed-hash `id_bidx`,
     `id_mask_bidx`, `phone_bidx` (core.crypto.vault) — so look-ups go by the same blind index as production;
     every 100th person gets a roster item in one approved batch and a paid payment line (order through
     `payments.services.order_create`, lines then marked paid); ANALYZE. The rows are counted afterwards
     and the indexes the look-up needs are checked to exist (Person.id_bidx unique, BatchItem.id_bidx,
     PaymentOrderItem.batch_item, Application.id_bidx);
  3. measure: Q queries, sequential, one process, warm (a few hundred first, not timed), in two ways:
       `service`  disclosure.query_service.self_query — ID check, both rate limits (core.ratelimit, one
                  conditional UPDATE each), challenge check, query.lookup, the audit event;
       `view`     POST /public/query/ through django.test.Client — the same plus middleware and template.
     The mix: 80% persons with a payment (each answer must hold exactly that person's payment: a hit),
     10% a wrong name (must answer nothing), 10% register persons without payments (nothing to show).

Environment: YKT_BENCH_SELFQUERY_PERSONS (default 1000000), YKT_BENCH_SELFQUERY_QUERIES (default 2000 per way),
YKT_BENCH_SELFQUERY_PG (default: DATABASE_URL when it is PostgreSQL, else
postgres://postgres@127.0.0.1:5432/ykt_bench_selfquery; the database is dropped and created; PostgreSQL is
skipped when unreachable). Target: p95 < 50 ms on both backends, through the view.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
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
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/ykt_bench_selfquery"
TARGET_P95_MS = 50.0
SAMPLE_EVERY = 100  # every 100th person has a paid line
NAMES = ("张三", "李四", "王五", "欧阳娜娜", "赵六", "孙七", "周八", "吴九", "郑十一", "冯春梅", "陈建国")
AMOUNT_FEN = 50_000


def _id_number(i: int) -> str:
    """A valid ID number, distinct for every i below 10 million, in an area (141025) the demo county's synthetic
    people (141024) never use."""
    born = dt.date(1930, 1, 1) + dt.timedelta(days=i // 1000)
    body = f"141025{born:%Y%m%d}{i % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def _name(i: int) -> str:
    return NAMES[i % len(NAMES)]


# ---- steps, each run in a child process with Django set up -------------------------------------

def _fixture(n: int) -> dict:
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone

    from yikatong.accounts.models import User
    from yikatong.core.bulk import insert_rows
    from yikatong.core.crypto import vault
    from yikatong.core.masking import mask_card, mask_id_number, mask_phone
    from yikatong.funds.models import FundQuota
    from yikatong.funds.selectors import quotas_for_batch
    from yikatong.payments import services
    from yikatong.payments.models import BankAgreement, PaymentOrder, PaymentOrderItem
    from yikatong.regions.models import Region
    from yikatong.registry.models import Person
    from yikatong.registry.upsert import PERSON_COLUMNS
    from yikatong.rosters import services as rosters
    from yikatong.rosters.models import Batch, BatchItem

    users = {u.username: u for u in User.objects.filter(username__in=["zhan", "czj_ks", "guoku"])}
    town = users["zhan"].region
    villages = list(Region.objects.filter(code__startswith=town.code[:9], level=5).values_list("code", flat=True))
    demo = Batch.objects.filter(region=town, kind="normal").order_by("pk").first()
    v, now = vault(), timezone.now()
    persons_before = Person.objects.count()

    def people():
        for i in range(1, n + 1):
            idn, phone = _id_number(i), f"138{i:08d}"
            yield (_name(i), v.encrypt(idn), v.id_index(idn), v.id_mask_index(idn), dt.date(1930, 1, 1) + dt.timedelta(days=i // 1000),
                   "男" if int(idn[16]) % 2 else "女", None, "", villages[i % len(villages)], v.encrypt(phone),
                   v.index(phone), "normal", None, "", None, now, now)

    started = time.perf_counter()
    with transaction.atomic():
        insert_rows(Person, PERSON_COLUMNS, people())
    persons_s = time.perf_counter() - started

    started = time.perf_counter()
    batch = rosters.batch_create(actor=users["zhan"], policy=demo.policy, period="2026-12", region=town)
    columns = ("batch_id", "seq", "item_ref", "name", "id_enc", "id_bidx", "id_masked", "is_org", "household_no",
               "relation", "phone_enc", "phone_bidx", "phone_masked", "bank_name", "account_enc", "account_bidx",
               "account_masked", "account_holder", "quantity", "amount_fen", "memo", "status", "removed_reason",
               "warnings", "compare")
    sample = range(SAMPLE_EVERY, n + 1, SAMPLE_EVERY)

    def items():
        for seq, i in enumerate(sample, 1):
            idn, phone, card = _id_number(i), f"138{i:08d}", f"62284800{i:011d}"
            yield (batch.pk, seq, f"{batch.code}-{seq:07d}", _name(i), v.encrypt(idn), v.id_index(idn),
                   mask_id_number(idn), False, "", "", v.encrypt(phone), v.index(phone), mask_phone(phone), "农业银行",
                   v.encrypt(card), v.index(card), mask_card(card), _name(i), 1, AMOUNT_FEN, "", "active", "", "[]", "[]")

    with transaction.atomic():
        insert_rows(BatchItem, columns, items())
        Batch.objects.filter(pk=batch.pk).update(item_count=len(sample), total_fen=len(sample) * AMOUNT_FEN,
                                                 state="approved")
        quota = quotas_for_batch(batch).order_by("pk").first()
        FundQuota.objects.filter(pk=quota.pk).update(received_fen=F("received_fen") + len(sample) * AMOUNT_FEN,
                                                     county_fen=F("county_fen") + len(sample) * AMOUNT_FEN)
    order = services.order_create(actor=users["czj_ks"], batch_id=batch.pk, agreement_id=BankAgreement.objects.get().pk)
    with transaction.atomic():  # the bank's answer, written directly (the answer path is bench_payments')
        PaymentOrderItem.objects.filter(order=order).update(status="paid", paid_at=now)
        PaymentOrder.objects.filter(pk=order.pk).update(state="answered")
    payments_s = time.perf_counter() - started
    with connection.cursor() as cur:  # VACUUM too on PostgreSQL, so autovacuum does not run during the measure
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    counts = {"persons": Person.objects.count() - persons_before,
              "sample_items": BatchItem.objects.filter(batch=batch).count(),
              "paid_lines": PaymentOrderItem.objects.filter(order=order, status="paid").count()}
    return {"persons_seconds": round(persons_s, 1), "persons_per_second": round(n / persons_s),
            "payments_seconds": round(payments_s, 1), "counts": counts, "indexes": _indexes(),
            "batch_policy": demo.policy.name}


def _indexes() -> dict:
    """Whether each column the look-up filters on leads an index (unique or not) in the database itself."""
    from django.db import connection

    wanted = {"registry_person": "id_bidx", "rosters_batchitem": "id_bidx", "payments_paymentorderitem": "batch_item_id",
              "applications_application": "id_bidx"}
    found = {}
    with connection.cursor() as cur:
        for table, column in wanted.items():
            constraints = connection.introspection.get_constraints(cur, table)
            found[f"{table}.{column}"] = any((c.get("index") or c.get("unique")) and c["columns"][:1] == [column]
                                             for c in constraints.values())
    return found


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def _measure(n: int, queries: int, way: str) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from yikatong.disclosure.query_service import self_query

    settings.YKT_SELF_QUERY_IP_RATE = settings.YKT_SELF_QUERY_ID_RATE = "1000000000/hour"
    settings.YKT_SELF_QUERY_CHALLENGE_AFTER = 10**9
    rng = random.Random(15 if way == "service" else 16)
    sampled = list(range(SAMPLE_EVERY, n + 1, SAMPLE_EVERY))
    plan = []
    for q in range(queries + 200):
        roll = rng.random()
        if roll < 0.8:
            i = rng.choice(sampled)
            plan.append(("hit", _id_number(i), _name(i)))
        elif roll < 0.9:
            i = rng.choice(sampled)
            plan.append(("wrong_name", _id_number(i), _name(i + 1)))
        else:
            i = rng.randrange(1, n + 1)
            i += 1 if i % SAMPLE_EVERY == 0 else 0
            plan.append(("unpaid", _id_number(min(i, n)), _name(min(i, n))))
    client, url = Client(), reverse("public_self_query")
    times, wrong, kinds = [], [], {}

    def ask(kind, idn, name, ip):
        if way == "service":
            answer = self_query(client=ip, id_number=idn, name=name)
            return (len(answer.payments) == 1 and answer.payments[0].amount_fen == AMOUNT_FEN
                    and answer.payments[0].status == "paid") if kind == "hit" else not answer.found
        response = client.post(url, {"id_number": idn, "name": name}, REMOTE_ADDR=ip)
        body = response.content.decode()
        if response.status_code != 200:
            return False
        return ("500.00" in body and "已发放" in body) if kind == "hit" else 'data-testid="not-found"' in body

    for q, (kind, idn, name) in enumerate(plan):
        ip = f"10.{q % 7}.{q % 251}.{q % 13 + 1}"
        started = time.perf_counter()
        ok = ask(kind, idn, name, ip)
        seconds = time.perf_counter() - started
        if q < 200:
            continue  # warm-up
        times.append(seconds * 1000)
        kinds[kind] = kinds.get(kind, 0) + 1
        if not ok:
            wrong.append(kind)
    total = sum(times) / 1000
    return {"queries": len(times), "by_kind": kinds, "wrong_answers": len(wrong),
            "p50_ms": round(_percentile(times, 50), 2), "p95_ms": round(_percentile(times, 95), 2),
            "p99_ms": round(_percentile(times, 99), 2), "max_ms": round(max(times), 2),
            "requests_per_second": round(len(times) / total, 1)}


def _child(step: str, args: list[str]) -> dict:
    import django

    django.setup()
    if step == "fixture":
        return _fixture(int(args[0]))
    if step == "measure":
        return _measure(int(args[0]), int(args[1]), args[2])
    raise SystemExit(f"unknown step {step}")


# ---- the parent ------------------------------------------------------------------------------

def _backend(url: str, work: Path, n: int, queries: int) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yikatong.settings",
           "YKT_VAR_DIR": str(work / "var"), "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cli = [PY, "-m", "yikatong.cli"]
    started = time.monotonic()
    subprocess.run(cli + ["migrate", "-v0"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run(cli + ["demo", "--size", "600"], env=env, check=True, cwd=ROOT, capture_output=True)
    setup_s = time.monotonic() - started
    fixture = child_support.spawn(__file__, env, "fixture", n)
    service = child_support.spawn(__file__, env, "measure", n, queries, "service")
    view = child_support.spawn(__file__, env, "measure", n, queries, "view")
    sample = len(range(SAMPLE_EVERY, n + 1, SAMPLE_EVERY))
    written = fixture["counts"] == {"persons": n, "sample_items": sample, "paid_lines": sample}
    figures = {"setup_seconds": round(setup_s, 1), **{k: v for k, v in fixture.items() if k != "batch_policy"},
               "fixture_written": written, "service": service, "view": view}
    figures["ok"] = (written and all(fixture["indexes"].values()) and service["wrong_answers"] == 0
                     and view["wrong_answers"] == 0 and view["p95_ms"] < TARGET_P95_MS
                     and service["p95_ms"] < TARGET_P95_MS)
    return figures


def run() -> dict:
    n = int(os.environ.get("YKT_BENCH_SELFQUERY_PERSONS", "1000000"))
    queries = int(os.environ.get("YKT_BENCH_SELFQUERY_QUERIES", "2000"))
    work = Path(tempfile.mkdtemp(prefix="ykt-bench-selfquery-"))
    figures: dict = {"persons": n, "queries_per_way": queries, "target_p95_ms": TARGET_P95_MS}
    try:
        figures["sqlite"] = _backend(f"sqlite:///{work / 'bench.sqlite3'}", work / "sqlite", n, queries)
        url = child_support.pg_url("YKT_BENCH_SELFQUERY_PG", DEFAULT_PG)
        reason = child_support.pg_fresh(url)
        figures["postgresql"] = {"skipped": reason} if reason else _backend(url, work / "pg", n, queries)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures["ok"] = all(figures[b].get("ok", True) for b in ("sqlite", "postgresql")) and figures["sqlite"].get("ok")
    return figures


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3:]), ensure_ascii=False))
    else:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
