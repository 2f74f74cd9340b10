"""Crash safety (issue 12 point 9, DESIGN invariant 10): each step of the cycle is run in a child
process — the worker, or the web stack — that kills itself with SIGKILL at a named fault point
(yikatong.core.faults). The step is then restarted without the fault (the worker's restart takes
back its interrupted job) and the state is checked: nothing half-done, doubled, lost or stuck.

Runs on SQLite and on PostgreSQL (the child shares the test's database, see crash.Child).
"""
import os
import signal
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from tests.support.scenarios import walk_to_approved, walk_to_dept_approval
from yikatong.audit.models import AuditEvent
from yikatong.audit.verify import verify_chain
from yikatong.banksim.options import SimOptions
from yikatong.banksim.services import payment_file_process
from yikatong.core.faults import POINTS
from yikatong.jobs.models import Job, JobState
from yikatong.payments import services as payments
from yikatong.payments.exchange.connector import atomic_write
from yikatong.payments.models import BankFile, ItemStatus, OrderState, PaidOrigin, PaymentOrder
from yikatong.rosters.importer.run import roster_import_stage
from yikatong.rosters.models import Batch, BatchEvent, ImportRun
from yikatong.rosters.tests.files import good_rows, to_csv

from .crash import WEB_POST, Child

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def child(tmp_path):
    return Child(tmp_path)


def _killed(outcome):
    assert outcome.killed, outcome.describe()


def _ok(outcome):
    assert outcome.returncode == 0, outcome.describe()


def _no_lock_left(model, pk):
    """The killed process's row locks are gone: the row can be locked at once (PostgreSQL; the
    server drops a dead client's transaction as soon as its connection closes)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '5s'")
        model.objects.select_for_update().get(pk=pk)


def _no_job_running():
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    assert not Job.objects.filter(state=JobState.RUNNING).exists()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()


def _db_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_every_fault_point_is_in_the_code():
    root = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    sources = ""
    for folder, _, files in os.walk(root):
        for name in files:
            if name.endswith(".py") and "tests" not in folder.split(os.sep):
                with open(os.path.join(folder, name), encoding="utf-8") as fh:
                    sources += fh.read()
    for name in POINTS:
        assert sources.count(f'fault_point("{name}")') == 1, name


def test_fault_point_kills_with_sigkill(child):
    _killed(child.script('from yikatong.core.faults import fault_point\nfault_point("x")\nprint("survived")',
                         fault="x"))
    _ok(child.script('from yikatong.core.faults import fault_point\nfault_point("x")', fault="y"))


# -- roster import, in the worker -------------------------------------------------------------

def test_worker_killed_mid_import_leaves_the_old_roster_then_imports_once(rw, batch, child, settings):
    u = rw.users
    from yikatong.rosters.importer.run import roster_import

    roster_import(actor=u["zhan"], batch_id=batch.pk, data=to_csv(good_rows(3)), filename="清册.csv",
                  mode="all_or_nothing")
    old_items = list(batch.items.order_by("seq").values_list("item_ref", "amount_fen"))
    run = roster_import_stage(actor=u["zhan"], batch_id=batch.pk, data=to_csv(good_rows(5)), filename="清册2.csv",
                       mode="all_or_nothing")
    _db_queue(settings)
    from yikatong.jobs.services import enqueue

    job = enqueue(actor=u["zhan"], kind="yikatong.rosters.tasks.import_job", title="导入清册",
                  key=f"rosters:import:{run.pk}", params={"run_id": run.pk})

    _killed(child.manage("worker", "--batch", fault="rosters.import.mid_write"))
    job.refresh_from_db()
    assert job.state == JobState.RUNNING  # the worker died holding it
    assert list(batch.items.order_by("seq").values_list("item_ref", "amount_fen")) == old_items  # all or nothing
    assert ImportRun.objects.get(pk=run.pk).processed_at is None
    _no_lock_left(Batch, batch.pk)

    _ok(child.manage("worker", "--batch"))  # restart: takes the job back and runs it again
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 2, job.message
    batch.refresh_from_db()
    assert batch.items.count() == batch.item_count == 5
    assert batch.total_fen == sum(batch.items.values_list("amount_fen", flat=True))
    assert AuditEvent.objects.filter(action="rosters.import", object_id=str(batch.pk)).count() == 2
    assert AuditEvent.objects.filter(action="jobs.requeued", object_id=str(job.pk)).count() == 1
    _no_job_running()
    assert verify_chain().ok


def test_job_killed_every_time_is_failed_after_its_attempts_never_left_running(rw, batch, child, settings):
    _db_queue(settings)
    from yikatong.jobs.services import enqueue

    job = enqueue(actor=rw.users["zhan"], kind="yikatong.checks.tasks.batch_check_job", title="批次大数据比对",
                  key="crash:always", params={"batch_id": batch.pk})
    for _ in range(3):  # YKT_JOB_MAX_ATTEMPTS = 3
        _killed(child.manage("worker", "--batch", fault="jobs.run.mid_job"))
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.attempts == 3
    _ok(child.manage("worker", "--batch"))
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "不再自动重试" in job.message
    _no_job_running()


def test_lapsed_lease_is_taken_back_by_a_running_worker(rw, batch, child, settings):
    """The periodic recovery (not only start-up): a job whose runner is gone is re-run by a worker
    that is already up."""
    _db_queue(settings)
    from yikatong.jobs.services import enqueue

    job = enqueue(actor=rw.users["zhan"], kind="yikatong.checks.tasks.batch_check_job", title="批次大数据比对",
                  key="crash:periodic", params={"batch_id": batch.pk})
    _killed(child.manage("worker", "--batch", fault="jobs.run.mid_job"))
    script = """
import threading, time
from django.utils import timezone
from yikatong.jobs.management.commands import worker
from yikatong.jobs.models import Job
calls = []
real = worker._recover
def counted():
    calls.append(time.monotonic())
    return real()
worker._recover = counted
stop = threading.Event()
t = threading.Thread(target=worker._beat, args=("w", timezone.now(), stop, 0.2, 1.0))
t.start()
deadline = time.monotonic() + 20
while time.monotonic() < deadline and Job.objects.get(pk=A["job"]).state == "running":
    time.sleep(0.2)
stop.set(); t.join()
print("STATE", Job.objects.get(pk=A["job"]).state, "RECOVERIES", len(calls))
"""
    # recovery by the heartbeat thread only (start-up recovery is not called by this script)
    out = child.script(script, args={"job": job.pk})
    _ok(out)
    assert "STATE queued" in out.stdout
    _ok(child.manage("worker", "--batch"))
    job.refresh_from_db()
    assert job.state == JobState.DONE


# -- cross-check run, in the worker ---------------------------------------------------------

def test_worker_killed_mid_check_writes_no_partial_run_then_checks_once(rw, batch, child, settings):
    from yikatong.checks.tasks import enqueue_batch_check
    from yikatong.checks.models import Finding, RuleRun
    from yikatong.rosters.importer.run import roster_import

    roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(4)), filename="清册.csv",
                  mode="all_or_nothing")
    runs_before = RuleRun.objects.filter(batch=batch).count()
    _db_queue(settings)
    job = enqueue_batch_check(actor=rw.users["zhan"], batch_id=batch.pk)

    _killed(child.manage("worker", "--batch", fault="checks.run.mid_run"))
    assert RuleRun.objects.filter(batch=batch).count() == runs_before  # the run was one transaction
    _ok(child.manage("worker", "--batch"))
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    runs = RuleRun.objects.filter(batch=batch)
    assert runs.count() == runs_before + 1 and runs.filter(finished_at__isnull=True).count() == 0
    keys = list(Finding.objects.filter(batch=batch).values_list("rule_id", "fingerprint"))
    assert len(keys) == len(set(keys))  # no finding written twice
    _no_job_running()


# -- approval, in the web process -----------------------------------------------------------

def test_web_killed_after_the_approval_update_commits_nothing_then_approves_once(rw, batch, child):
    batch = walk_to_dept_approval(batch, rw, "000")
    state, version = batch.state, batch.version
    events, audits = BatchEvent.objects.count(), AuditEvent.objects.count()
    post = {"user": rw.users["mz_head"].pk, "url": reverse("batch_transition", args=[batch.pk, "dept_approve"])}

    _killed(child.script(WEB_POST, args=post, fault="rosters.transition.after_update"))
    batch.refresh_from_db()
    assert (batch.state, batch.version) == (state, version)  # the update died with its transaction
    assert (BatchEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)
    _no_lock_left(Batch, batch.pk)

    out = child.script(WEB_POST, args=post)
    _ok(out)
    batch.refresh_from_db()
    assert batch.state != state and batch.version == version + 1, out.stdout
    assert BatchEvent.objects.filter(batch=batch, action="dept_approve").count() == 1
    assert AuditEvent.objects.filter(action="rosters.dept_approve", object_id=str(batch.pk)).count() == 1
    assert verify_chain().ok


# -- payment file generation, result collection and ingestion -------------------------------

@pytest.fixture
def released(pw, batch):  # noqa: F811
    walk_to_approved(batch, pw, "000")
    u = pw.users
    order = payments.order_create(actor=u["fin"], batch_id=batch.pk)
    return payments.order_release(actor=u["gk"], order_id=order.pk)


SEND = """
from yikatong.accounts.models import User
from yikatong.payments import services
services.order_send(actor=User.objects.get(pk=A["user"]), order_id=A["order"])
"""

COLLECT = """
from yikatong.payments import services
for name, outcome in services.bank_inbox_collect(actor=None):
    print(name, getattr(outcome, "created", outcome))
"""


def _bank_answers(fail_seq=None):
    """The simulated bank takes the payment file from the outbox (to its processed/) and answers."""
    from yikatong.banksim.runner import run

    return run(options=SimOptions(fail_seq=fail_seq or {}))


def _inbox(pw):
    inbox = pw.connector.inbox
    return sorted(p for p in os.listdir(inbox) if p != "processed") if inbox.is_dir() else []


def test_killed_while_archiving_a_result_file_it_is_neither_lost_nor_doubled(pw, answered_in_inbox, child):
    """Killed between moving the answer aside and removing it: the next collection puts it back,
    sees a replay, and removes it — one BankFile, one answer, no plaintext left in the inbox."""
    order, answer = answered_in_inbox
    _killed(child.script(COLLECT, fault="payments.collect.mid_archive"))
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED and BankFile.objects.filter(kind="R").count() == 1
    assert [p for p in os.listdir(pw.connector.inbox) if p.endswith(".taking")]  # moved aside, not removed
    out = child.script(COLLECT)
    _ok(out)
    assert f"{answer.filename} False" in out.stdout  # taken back as a replay
    assert os.listdir(pw.connector.inbox) == []
    assert AuditEvent.objects.filter(action="payments.order.answer", object_id=str(order.pk)).count() == 1
    _paid_once(order)


def _paid_once(order):
    order.refresh_from_db()
    paid = order.items.filter(status=ItemStatus.PAID)
    origins = list(PaidOrigin.objects.values_list("origin_id", flat=True))
    assert len(origins) == len(set(origins)) == paid.count() == order.paid_count
    assert order.paid_fen + order.failed_fen == order.total_fen


def test_killed_after_the_file_was_delivered_the_send_is_retried_without_a_second_file(pw, released, child):
    order, u = released, pw.users
    args = {"user": u["gk"].pk, "order": order.pk}
    _killed(child.script(SEND, args=args, fault="payments.send.after_deliver"))
    order.refresh_from_db()
    assert order.state == OrderState.RELEASED and not BankFile.objects.filter(kind="P").exists()
    outbox = pw.connector.outbox
    delivered = sorted(p for p in os.listdir(outbox) if p.endswith("_P.txt"))
    assert len(delivered) == 1
    _no_lock_left(PaymentOrder, order.pk)

    # meanwhile the bank takes the file and answers; the answer cannot be taken yet, and is kept
    _bank_answers({2: "E01"})
    report = payments.bank_inbox_collect(actor=None)
    assert len(report) == 1 and isinstance(report[0][1], Exception) and len(_inbox(pw)) == 1

    _ok(child.script(SEND, args=args))  # the retry: the very same file, found at the bank, not sent again
    order.refresh_from_db()
    assert order.state == OrderState.SENT
    stored = BankFile.objects.get(kind="P")
    assert not [p for p in os.listdir(outbox) if p.endswith("_P.txt")]  # nothing new in the outbox
    assert (outbox / "processed" / stored.filename).read_bytes() == stored.data()

    _ok(child.script(COLLECT))
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED and (order.paid_count, order.failed_count) == (2, 1)
    assert _inbox(pw) == []
    _paid_once(order)
    assert verify_chain().ok


@pytest.fixture
def answered_in_inbox(pw, released):
    order = payments.order_send(actor=pw.users["gk"], order_id=released.pk)
    data = (pw.connector.outbox / order.payment_file.filename).read_bytes()
    answer = payment_file_process(actor=None, filename=order.payment_file.filename, data=data,
                                  options=SimOptions(fail_seq={3: "E05"}))
    atomic_write(pw.connector.inbox, answer.filename, answer.data)
    return order, answer


@pytest.mark.parametrize("point, committed", [
    ("payments.collect.after_download", False),
    ("payments.ingest.after_parse", False),
    ("payments.ingest.mid_write", False),
    ("payments.collect.before_archive", True),
])
def test_killed_while_taking_a_result_file_it_is_ingested_exactly_once(pw, answered_in_inbox, child, point,
                                                                       committed):
    order, answer = answered_in_inbox
    if point == "payments.collect.after_download":  # through the web: the treasury presses 收取回盘
        killed = child.script(WEB_POST, args={"user": pw.users["gk"].pk, "url": reverse("payments_collect")},
                              fault=point)
    else:  # the background collection
        killed = child.script(COLLECT, fault=point)
    _killed(killed)
    order.refresh_from_db()
    assert _inbox(pw) == [answer.filename]  # never archived before its ingest committed: not lost
    if committed:
        assert order.state == OrderState.ANSWERED and BankFile.objects.filter(kind="R").count() == 1
    else:  # nothing half-written
        assert order.state == OrderState.SENT and not BankFile.objects.filter(kind="R").exists()
        assert not order.items.exclude(status=ItemStatus.PENDING).exists() and not PaidOrigin.objects.exists()
    _no_lock_left(PaymentOrder, order.pk)

    out = child.script(COLLECT)  # restart
    _ok(out)
    assert f"{answer.filename} {not committed}" in out.stdout  # a replay when it had committed
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED and (order.paid_count, order.failed_count) == (2, 1)
    assert _inbox(pw) == [] and BankFile.objects.get(kind="R").data() == answer.data  # kept sealed, not on disk
    assert BankFile.objects.filter(kind="R").count() == 1
    assert AuditEvent.objects.filter(action="payments.order.answer", object_id=str(order.pk)).count() == 1
    _paid_once(order)
    _ok(child.script(COLLECT))  # and again: nothing left, nothing changes
    _paid_once(order)
    assert verify_chain().ok


# -- no lock held past a time limit (PostgreSQL) ---------------------------------------------


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="statement_timeout and friends are PostgreSQL settings")
def test_postgresql_sessions_run_under_the_configured_time_limits(child, settings):
    from yikatong.core.dbtimeouts import current_limits

    limits = current_limits()
    assert limits["statement_timeout"] == f"{settings.YKT_DB_STATEMENT_TIMEOUT}s" or \
        limits["statement_timeout"] == f"{settings.YKT_DB_STATEMENT_TIMEOUT // 60}min"
    out = child.script("""
from django.db import connection, OperationalError, transaction
from yikatong.core.dbtimeouts import current_limits, local_statement_timeout, session_statement_timeout
print("LIMITS", current_limits())
try:
    with connection.cursor() as cur:
        cur.execute("SELECT pg_sleep(3)")
    print("SLEPT")
except OperationalError as exc:
    print("CANCELLED", type(exc).__name__)
with transaction.atomic():
    local_statement_timeout(10)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_sleep(1.5)")
    print("LOCAL OK")
with session_statement_timeout(10):
    with connection.cursor() as cur:
        cur.execute("SELECT pg_sleep(1.5)")
    print("JOB OK", current_limits()["idle_in_transaction_session_timeout"])
print("AFTER", current_limits()["statement_timeout"], current_limits()["idle_in_transaction_session_timeout"])
""", YKT_DB_STATEMENT_TIMEOUT="1", YKT_DB_IDLE_IN_TRANSACTION_TIMEOUT="2")
    _ok(out)
    assert "CANCELLED" in out.stdout and "LOCAL OK" in out.stdout and "JOB OK 10s" in out.stdout
    assert "AFTER 1s 2s" in out.stdout


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="idle_in_transaction_session_timeout is a PostgreSQL setting")
def test_a_hung_process_does_not_hold_its_row_lock_past_the_idle_timeout(rw, batch, child):
    import subprocess
    import sys

    from .crash import PRELUDE, ROOT

    hang = PRELUDE + """
import time
from django.db import transaction
from yikatong.rosters.models import Batch
with transaction.atomic():
    Batch.objects.select_for_update().get(pk=A["batch"])
    print("LOCKED", flush=True)
    time.sleep(60)  # hung while holding the lock (not killed)
"""
    proc = subprocess.Popen([sys.executable, "-c", hang], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env=child.env(args={"batch": batch.pk}, YKT_DB_IDLE_IN_TRANSACTION_TIMEOUT="2"))
    try:
        assert proc.stdout.readline().strip() == "LOCKED"
        started = time.monotonic()
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '20s'")
            Batch.objects.select_for_update().get(pk=batch.pk)  # granted once the server ends the idle session
        assert time.monotonic() - started < 15
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


# -- the register import's own state ----------------------------------------------------------

def test_register_import_interrupted_mid_way_stays_queued_for_the_retry(regions, monkeypatch):
    """The register import claims its record (queued -> running) inside the import's transaction:
    a run that dies leaves it queued, so the job's retry imports it (it used to stay "running")."""
    from yikatong.registry.choices import ImportState
    from yikatong.registry.models import RegisterImport
    from yikatong.core.crypto import vault
    from yikatong.registry.services import register_import as module

    imp = RegisterImport.objects.create(
        file_name="底册.csv", file_sha256="0" * 64, file_size=1, region=regions["town1"], actor=None,
        upload_enc=vault().encrypt_bytes(b"x", purpose=module.UPLOAD_PURPOSE))

    def dies(*args, **kwargs):
        raise SystemExit("killed mid-import")  # what the database sees of a kill: the transaction never commits

    monkeypatch.setattr(module, "_execute", dies)
    with pytest.raises(SystemExit):
        module.register_import_run(import_id=imp.pk)
    imp.refresh_from_db()
    assert imp.state == ImportState.QUEUED
