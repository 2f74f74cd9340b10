"""Health of the database and the worker, for /healthz and the API."""
from django.db import connection

from yikatong.jobs.selectors import worker_state


def health() -> dict:
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        db = {"state": "ok", "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        db = {"state": "error", "detail": str(exc)[:200]}
    worker = worker_state() if db["state"] == "ok" else {"state": "unknown"}
    ok = db["state"] == "ok" and worker["state"] == "ok"
    return {"status": "ok" if ok else ("degraded" if db["state"] == "ok" else "error"), "database": db, "worker": worker}
