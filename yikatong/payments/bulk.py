"""Set-based writes for payment lines at scale (a million lines per order), inside the caller's transaction.

    insert_rows(model, columns, rows)   new rows, ids from the table's default (COPY / executemany)
    update_rows(model, columns, rows)   rows = (id, *values): COPY into a temp table + UPDATE … FROM
                                        on PostgreSQL; chunked executemany UPDATE elsewhere

Values are database values (str, int, bool, None, aware datetime). Neither loads model instances.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection, transaction

from yikatong.core.copyformat import copy_value

CHUNK = 5000


def _require_atomic() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("payments.bulk must run inside a transaction")


def _chunks(rows: Iterable[tuple], size: int = CHUNK):
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _adapter():
    ops = connection.ops

    def adapt(value):
        return ops.adapt_datetimefield_value(value) if isinstance(value, dt.datetime) else value

    return adapt


_text = copy_value


def copy_text(value) -> str:
    """One value in COPY text format (for callers that format their own lines, see update_rows)."""
    return _text(value)


def _copy(cur, sql: str, rows: Iterable[tuple], line=None) -> int:
    """COPY in PostgreSQL's text format, formatted here a chunk at a time (one write per chunk)."""
    n = 0
    line = line or (lambda row: "\t".join(map(_text, row)) + "\n")
    with cur.cursor.copy(sql) as copy:
        for chunk in _chunks(rows, 20_000):
            copy.write("".join(map(line, chunk)).encode("utf-8"))
            n += len(chunk)
    return n


def insert_rows(model, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    _require_atomic()
    table = model._meta.db_table
    names = ", ".join(f'"{c}"' for c in columns)
    n = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            return _copy(cur, f'COPY "{table}" ({names}) FROM STDIN', rows)
        marks = ", ".join(["%s"] * len(columns))
        adapt = _adapter()
        for chunk in _chunks(rows):
            cur.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                            [tuple(map(adapt, row)) for row in chunk])
            n += len(chunk)
    return n


def update_rows(model, columns: Sequence[str], rows: Iterable[tuple], *, copy_line=None) -> int:
    """Set `columns` of the rows given as (id, *values). `copy_line(row)`, if given, formats one row
    as a COPY text line (tab-separated, newline-terminated) faster than the generic formatter."""
    _require_atomic()
    table = model._meta.db_table
    n = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            tmp = f"_ykt_update_{table}"
            cols = ", ".join(f'"{c}"' for c in ("id", *columns))
            cur.execute(f'DROP TABLE IF EXISTS "{tmp}"')
            cur.execute(f'CREATE TEMP TABLE "{tmp}" ON COMMIT DROP AS SELECT {cols} FROM "{table}" WITH NO DATA')
            n = _copy(cur, f'COPY "{tmp}" ({cols}) FROM STDIN', rows, copy_line)
            sets = ", ".join(f'"{c}" = t."{c}"' for c in columns)
            cur.execute(f'ANALYZE "{tmp}"')
            cur.execute(f'UPDATE "{table}" SET {sets} FROM "{tmp}" t WHERE "{table}".id = t.id')
            cur.execute(f'DROP TABLE "{tmp}"')
            return n
        sets = ", ".join(f'"{c}" = %s' for c in columns)
        adapt = _adapter()
        for chunk in _chunks(rows):
            cur.executemany(f'UPDATE "{table}" SET {sets} WHERE id = %s',
                            [(*map(adapt, row[1:]), row[0]) for row in chunk])
            n += len(chunk)
    return n
