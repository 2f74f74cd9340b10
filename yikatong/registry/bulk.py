"""Bulk inserts for imports.

`insert(model, objs)`: Django's bulk_create in batches; primary keys are set on the objects
(PostgreSQL and SQLite >= 3.35 return them).

`copy_rows(model, columns, rows)`: the fast path for new rows given as plain tuples (no model
instances): primary keys are reserved first (PostgreSQL: nextval of the table's sequence;
SQLite: after the current maximum, under the write lock the import's transaction holds),
then the rows go in with COPY (PostgreSQL) or executemany (SQLite). Returns the new ids in
row order. Must run inside a transaction.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import connection, transaction

from yikatong.core.copyformat import copy_value

BATCH = 2000


def insert(model, objs: list) -> list:
    if objs:
        model.objects.bulk_create(objs, batch_size=BATCH)
    return objs


def lock_for_import(*models) -> None:
    """Take the write lock for a bulk import: other writers of these tables wait until the
    import commits; readers are not blocked (PostgreSQL SHARE ROW EXCLUSIVE; an SQLite
    write transaction is exclusive already). Also makes deferred constraints immediate, so
    foreign keys are checked while COPY streams rather than all at once at commit."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(f'"{m._meta.db_table}"' for m in models)
    with connection.cursor() as cur:
        cur.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")


def reserve_ids(model, n: int) -> list[int]:
    """n new primary keys for `model`, a contiguous block (inside lock_for_import's lock)."""
    if n <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Nobody else inserts into the table while the import holds its lock, so moving
            # the sequence on by n hands this import the block (last - n, last].
            cur.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, n],
            )
            last = cur.fetchone()[0]
            return list(range(last - n + 1, last + 1))
        cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        start = cur.fetchone()[0] + 1
        return list(range(start, start + n))


def copy_rows(model, columns: Sequence[str], rows: Iterable[tuple], ids: list[int] | None = None) -> list[int]:
    """Insert rows (tuples in `columns` order, database values: str, int, date, datetime,
    bool, None) into `model`'s table; return their ids. `rows` may be a generator: on
    PostgreSQL it is consumed while COPY streams, so the server works while Python encrypts."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("copy_rows must run inside a transaction")
    if ids is None:
        rows = list(rows)
        ids = reserve_ids(model, len(rows))
    if not ids:
        return []
    table = model._meta.db_table
    names = ", ".join(f'"{c}"' for c in ("id", *columns))
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                copy.write(copy_text(ids, rows))
        else:
            marks = ", ".join(["%s"] * (len(columns) + 1))
            adapt = _sqlite_adapter()
            cur.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                            [(pk, *map(adapt, row)) for pk, row in zip(ids, rows)])
    return ids


def _copy_sql(model, columns) -> str:
    names = ", ".join(f'"{c}"' for c in ("id", *columns))
    return f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'


_text = copy_value


def copy_text(ids: list[int], rows: Iterable[tuple]) -> bytes:
    """Rows in PostgreSQL's COPY text format (tab separated, \\N for NULL, escaped)."""
    return "".join(
        "\t".join([str(pk), *map(_text, row)]) + "\n" for pk, row in zip(ids, rows)
    ).encode("utf-8")


def _sqlite_adapter():
    ops = connection.ops

    def adapt(value):
        if isinstance(value, dt.datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return adapt


class CopyPipeline:
    """Runs COPY batches in a background thread on PostgreSQL, so that the database inserts
    one chunk while Python parses and validates the next one (two cores instead of one).

    The thread uses the same psycopg connection (and so the same transaction); psycopg
    serialises operations on a connection, and `wait()` must be called before the caller
    uses the database itself. Elsewhere (SQLite) the batch runs at once, in the caller.
    """

    def __init__(self):
        self._thread = None
        self._error: BaseException | None = None

    def submit(self, batches: list[tuple]) -> None:
        """batches: (model, columns, rows as a list of tuples, ids)."""
        self.wait()
        if connection.vendor != "postgresql":
            for model, columns, rows, ids in batches:
                copy_rows(model, columns, rows, ids)
            return
        import threading

        raw = connection.connection
        # Formatted here, in one piece per table: the thread then needs the interpreter only
        # to hand over a few large buffers, not once per row.
        payloads = [(_copy_sql(model, columns), copy_text(ids, rows)) for model, columns, rows, ids in batches if ids]

        def work():
            try:
                with raw.cursor() as cur:
                    for sql, data in payloads:
                        with cur.copy(sql) as copy:
                            copy.write(data)
            except BaseException as exc:  # re-raised in the caller's thread by wait()
                self._error = exc

        self._thread = threading.Thread(target=work, name="registry-copy", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error
