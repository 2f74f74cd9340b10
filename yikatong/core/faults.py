"""Fault injection for crash-safety tests: `fault_point(name)` kills this process with SIGKILL
when the environment variable YKT_FAULT equals `name`, exactly at that line.

SIGKILL cannot be caught: no `finally`, no atexit, no rollback by Python; what survives is
what the database and the file system already hold. The crash tests
(yikatong/core/tests/test_faults.py) run each step in a subprocess with YKT_FAULT set, then
restart it without the fault and check nothing is doubled, lost, half-done or stuck.
The named points are listed in POINTS (where each sits and what it interrupts).
"""
from __future__ import annotations

import os
import signal

ENV = "YKT_FAULT"

#: name -> where (the one line calling fault_point(name))
POINTS = {
    "rosters.import.mid_write": "rosters/importer/run.py roster_import_process: items written, import not committed",
    "checks.run.mid_run": "checks/services.py _run: first rule's findings written, run not committed",
    "rosters.transition.after_update": "rosters/transitions.py batch_transition: state updated and audited, not committed",
    "payments.send.after_deliver": "payments/orders.py order_send: file in the outbox, order state not committed",
    "payments.collect.after_download": "payments/ingest.py bank_inbox_collect: answer file read, not ingested",
    "payments.ingest.after_parse": "payments/ingest.py bank_answer_ingest: file parsed and matched, nothing written",
    "payments.ingest.mid_write": "payments/ingest.py _answered: lines updated, paid origins not, not committed",
    "payments.collect.before_archive": "payments/ingest.py bank_inbox_collect: ingest committed, file not archived",
    "payments.collect.mid_archive": "payments/exchange/connector.py archive: file moved aside to be removed, not removed",
    "jobs.run.mid_job": "jobs/services.py run: job claimed (running, leased), handler not started",
    "sheets.child.parse": "core/sheets/child.py main: the spreadsheet parser child, limits set, before parsing",
}


def fault_point(name: str) -> None:
    """Die here (SIGKILL) if YKT_FAULT names this point; otherwise do nothing (one dict lookup)."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
