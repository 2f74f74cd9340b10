"""Set-based writes at scale (a million register rows, roster items or payment lines), inside the
caller's transaction. The one bulk writer: PostgreSQL COPY, executemany elsewhere (SQLite).

    insert(model, objs)                 model instances: bulk_create in batches, primary keys set
    lock_for_import(*models)            the write lock of a bulk import (PostgreSQL)
    reserve_ids(model, n)               a contiguous block of new primary keys
    insert_rows(model, columns, rows)   plain tuples; ids from the table's default, or `ids` given
    copy_rows(model, columns, rows)     insert_rows with ids reserved first; returns the ids
    update_rows(model, columns, rows)   rows = (id, *values): COPY into a temp table + UPDATE … FROM
                                        on PostgreSQL; chunked executemany UPDATE elsewhere
    CopyPipeline                        COPY batches in a background thread (PostgreSQL)

Values are database values (str, int, bool, None, date, aware datetime), written in COPY text
format by core.copyformat. Rows may be a generator: they are consumed a chunk at a time, so on
PostgreSQL the server works on one chunk while Python prepares (e.g. encrypts) the next.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection, transaction

from .copyformat import copy_value

BATCH = 2000  # model instances per bulk_create
CHUNK = 5000  # rows per executemany
COPY_CHUNK = 20_000  # rows formatted per COPY write


def _require_atomic(what: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{what} must run inside a transaction")


def _chunks(rows: Iterable, size: int):
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _quoted(columns: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _sqlite_adapter():
    ops = connection.ops

    def adapt(value):
        if isinstance(value, dt.datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return adapt


def _line(row: tuple) -> str:
    return "\t".join(map(copy_value, row)) + "\n"


def _id_line(pair: tuple) -> str:
    pk, row = pair
    return "\t".join([str(pk), *map(copy_value, row)]) + "\n"


def copy_text(ids: list[int], rows: Iterable[tuple]) -> bytes:
    """Rows preceded by their ids, in PostgreSQL's COPY text format (tab separated, \\N for NULL)."""
    return "".join(map(_id_line, zip(ids, rows))).encode("utf-8")


def _copy(cur, sql: str, rows: Iterable, line) -> int:
    """COPY in text format, formatted here a chunk at a time (one write per chunk)."""
    n = 0
    with cur.cursor.copy(sql) as copy:
        for chunk in _chunks(rows, COPY_CHUNK):
            copy.write("".join(map(line, chunk)).encode("utf-8"))
            n += len(chunk)
    return n


# ---- model instances -------------------------------------------------------------------


def insert(model, objs: list) -> list:
    """bulk_create in batches; primary keys are set on the objects (PostgreSQL, SQLite >= 3.35)."""
    if objs:
        model.objects.bulk_create(objs, batch_size=BATCH)
    return objs


# ---- imports: lock, ids ---------------------------------------------------------------


def lock_for_import(*models) -> None:
    """Take the write lock for a bulk import: other writers of these tables wait until the
    import commits; readers are not blocked (PostgreSQL SHARE ROW EXCLUSIVE; an SQLite
    write transaction is exclusive already). Also makes deferred constraints immediate, so
    foreign keys are checked while COPY streams rather than all at once at commit."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute(f"LOCK TABLE {_quoted(m._meta.db_table for m in models)} IN SHARE ROW EXCLUSIVE MODE")
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")


def reserve_ids(model, n: int) -> list[int]:
    """n new primary keys for `model`, a contiguous block (inside lock_for_import's lock:
    PostgreSQL moves the table's sequence on by n; SQLite counts on from the current maximum
    under the write lock the import's transaction holds)."""
    if n <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, n],
            )
            last = cur.fetchone()[0]
            return list(range(last - n + 1, last + 1))
        cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        start = cur.fetchone()[0] + 1
        return list(range(start, start + n))


# ---- plain rows ------------------------------------------------------------------------


def insert_rows(model, columns: Sequence[str], rows: Iterable[tuple], *, ids: Sequence[int] | None = None) -> int:
    """Insert rows (tuples in `columns` order) into `model`'s table; with `ids`, row i gets id ids[i]
    (rows beyond the ids are not inserted). Returns how many rows went in."""
    _require_atomic("insert_rows")
    table = model._meta.db_table
    names = _quoted(("id", *columns) if ids is not None else columns)
    items = zip(ids, rows) if ids is not None else rows
    n = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            return _copy(cur, f'COPY "{table}" ({names}) FROM STDIN', items, _id_line if ids is not None else _line)
        marks = ", ".join(["%s"] * (len(columns) + (ids is not None)))
        adapt = _sqlite_adapter()
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
        for chunk in _chunks(items, CHUNK):
            if ids is not None:
                cur.executemany(sql, [(pk, *map(adapt, row)) for pk, row in chunk])
            else:
                cur.executemany(sql, [tuple(map(adapt, row)) for row in chunk])
            n += len(chunk)
    return n


def copy_rows(model, columns: Sequence[str], rows: Iterable[tuple], ids: list[int] | None = None) -> list[int]:
    """insert_rows with primary keys reserved first (reserve_ids) unless given; returns the ids in
    row order."""
    _require_atomic("copy_rows")
    if ids is None:
        rows = list(rows)
        ids = reserve_ids(model, len(rows))
    if ids:
        insert_rows(model, columns, rows, ids=ids)
    return ids


def update_rows(model, columns: Sequence[str], rows: Iterable[tuple], *, copy_line=None) -> int:
    """Set `columns` of the rows given as (id, *values). `copy_line(row)`, if given, formats one row
    as a COPY text line (tab-separated, newline-terminated) faster than the generic formatter."""
    _require_atomic("update_rows")
    table = model._meta.db_table
    n = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            tmp = f"_ykt_update_{table}"
            cols = _quoted(("id", *columns))
            cur.execute(f'DROP TABLE IF EXISTS "{tmp}"')
            cur.execute(f'CREATE TEMP TABLE "{tmp}" ON COMMIT DROP AS SELECT {cols} FROM "{table}" WITH NO DATA')
            n = _copy(cur, f'COPY "{tmp}" ({cols}) FROM STDIN', rows, copy_line or _line)
            sets = ", ".join(f'"{c}" = t."{c}"' for c in columns)
            cur.execute(f'ANALYZE "{tmp}"')
            cur.execute(f'UPDATE "{table}" SET {sets} FROM "{tmp}" t WHERE "{table}".id = t.id')
            cur.execute(f'DROP TABLE "{tmp}"')
            return n
        sets = ", ".join(f'"{c}" = %s' for c in columns)
        adapt = _sqlite_adapter()
        for chunk in _chunks(rows, CHUNK):
            cur.executemany(f'UPDATE "{table}" SET {sets} WHERE id = %s',
                            [(*map(adapt, row[1:]), row[0]) for row in chunk])
            n += len(chunk)
    return n


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
        raw = connection.connection
        # Formatted here, in one piece per table: the thread then needs the interpreter only
        # to hand over a few large buffers, not once per row.
        payloads = [(f'COPY "{model._meta.db_table}" ({_quoted(("id", *columns))}) FROM STDIN', copy_text(ids, rows))
                    for model, columns, rows, ids in batches if ids]

        def work():
            try:
                with raw.cursor() as cur:
                    for sql, data in payloads:
                        with cur.copy(sql) as copy:
                            copy.write(data)
            except BaseException as exc:  # re-raised in the caller's thread by wait()
                self._error = exc

        self._thread = threading.Thread(target=work, name="bulk-copy", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error
