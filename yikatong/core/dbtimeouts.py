"""Database time limits (PostgreSQL; no-ops elsewhere). The defaults are set per connection in
settings (statement_timeout, lock_timeout, idle_in_transaction_session_timeout)."""
from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.db import connection as default_connection


def _is_pg(conn) -> bool:
    return conn.vendor == "postgresql"


def local_statement_timeout(seconds: int, *, conn=None) -> None:
    """Raise (or lower) the statement timeout for the rest of the current transaction only
    (SET LOCAL): for one long batch statement. Must be called inside transaction.atomic()."""
    conn = conn or default_connection
    if not _is_pg(conn):
        return
    if not conn.in_atomic_block:
        raise RuntimeError("local_statement_timeout must run inside a transaction")
    with conn.cursor() as cur:
        cur.execute("SELECT set_config('statement_timeout', %s, true)", [f"{int(seconds) * 1000}"])


@contextmanager
def session_statement_timeout(seconds: int | None = None, *, conn=None):
    """For a background job: the session's statement timeout — and its idle-in-transaction timeout,
    since a job may compute between statements of one transaction (e.g. DuckDB rules during a
    sweep) — are `seconds` (default YKT_DB_JOB_STATEMENT_TIMEOUT) until the block ends, then back
    to the connection defaults. The lock timeout is not raised: a job waits for a lock no longer
    than anyone else."""
    conn = conn or default_connection
    if not _is_pg(conn):
        yield
        return
    seconds = settings.YKT_DB_JOB_STATEMENT_TIMEOUT if seconds is None else seconds
    value = f"{int(seconds) * 1000}"
    with conn.cursor() as cur:
        cur.execute("SELECT set_config('statement_timeout', %s, false), "
                    "set_config('idle_in_transaction_session_timeout', %s, false)", [value, value])
    try:
        yield
    finally:
        if conn.connection is not None and not conn.needs_rollback:
            try:
                with conn.cursor() as cur:
                    cur.execute("RESET statement_timeout")
                    cur.execute("RESET idle_in_transaction_session_timeout")
            except Exception:  # noqa: BLE001 - a broken connection is closed and reopened with the default
                conn.close_if_unusable_or_obsolete()


def current_limits(conn=None) -> dict:
    """The limits the session runs under (for /healthz and the tests)."""
    conn = conn or default_connection
    if not _is_pg(conn):
        return {}
    with conn.cursor() as cur:
        cur.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout'), "
                    "current_setting('idle_in_transaction_session_timeout')")
        st, lt, idle = cur.fetchone()
    return {"statement_timeout": st, "lock_timeout": lt, "idle_in_transaction_session_timeout": idle}
