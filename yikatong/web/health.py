"""Health of the database and the worker, for /healthz and the API. Public: it says ok or not ok and
which part is not, never why (a database error names hosts, users and tables)."""
import logging

from django.db import connection

from yikatong.jobs.selectors import worker_state

log = logging.getLogger(__name__)


def health() -> dict:
    """{"status": ok | degraded | error, "database": {"state"}, "worker": {"state"}} — states only."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        db = "ok"
    except Exception as exc:  # noqa: BLE001 - reported as "error"; only the exception type is logged
        log.error("health: database unreachable (%s)", type(exc).__name__)
        db = "error"
    worker = "unknown"
    if db == "ok":
        try:
            worker = worker_state()["state"]  # ok / absent / stale
        except Exception as exc:  # noqa: BLE001
            log.error("health: worker state unreadable (%s)", type(exc).__name__)
            db = "error"
    status = "error" if db != "ok" else ("ok" if worker == "ok" else "degraded")
    return {"status": status, "database": {"state": db}, "worker": {"state": worker}}
