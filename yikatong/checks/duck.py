"""Full sweeps in DuckDB: the columns the views read are extracted from the primary database into
an in-memory DuckDB (columnar), and the same rule SQL runs there (named parameters %(x)s → $x).
No extension is loaded: the machine may be offline."""
import errno
import os
import re
import tempfile
import threading
import time
from pathlib import Path

import duckdb
from django.apps import apps
from django.db import connection

from . import engine, sqlviews

# table -> columns the views of sqlviews.py read (and nothing else: no encrypted data leaves the database)
TABLES = {
    "rosters.BatchItem": ["id", "batch_id", "seq", "name", "id_bidx", "is_org", "person_id", "village_id",
                          "household_no", "account_bidx", "account_holder", "quantity", "standard_fen", "amount_fen",
                          "status", "phone_bidx", "id_valid", "account_valid", "birth_date"],
    "rosters.Batch": ["id", "code", "kind", "parent_id", "period", "region_id", "policy_id"],
    "policies.Policy": ["id", "code", "name", "rate_fen", "means_tested", "age_min", "age_max", "unit",
                        "residence_required"],
    "registry.Person": ["id", "id_bidx", "name", "birth_date", "household_id", "relation", "status", "status_since",
                        "village_id"],
    "regions.Region": ["code", "level"],
    "registry.BankAccount": ["id", "person_id", "number_bidx", "holder_name", "status", "is_current"],
    "registry.ReferenceRecord": ["id", "snapshot_id", "id_bidx", "related_id_bidx", "account_bidx", "event_date",
                                 "name", "status"],
    "registry.ReferenceSnapshot": ["id", "dataset", "source_agency", "is_current"],
    "payments.Reissue": ["new_item_id", "source_id"],
    "payments.PaymentOrderItem": ["id", "origin_id"],
    "payments.PaymentClaim": ["origin_id", "item_id", "policy_id", "period", "id_bidx"],
}
_TYPES = {
    "AutoField": "BIGINT", "BigAutoField": "BIGINT", "IntegerField": "BIGINT", "BigIntegerField": "BIGINT",
    "PositiveIntegerField": "BIGINT", "PositiveSmallIntegerField": "BIGINT", "SmallIntegerField": "BIGINT",
    "CharField": "VARCHAR", "TextField": "VARCHAR", "DateField": "DATE", "BooleanField": "BOOLEAN",
    "DecimalField": "DECIMAL(18,4)",
}
_PARAM = re.compile(r"%\((\w+)\)s")
CHUNK = 50_000


def _column_type(model, column: str) -> str:
    field = next(f for f in model._meta.concrete_fields if f.column == column)
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if kind == "ForeignKey":
        kind = target.target_field.get_internal_type()
    return _TYPES.get(kind, "VARCHAR")


def _create(con, model, columns: list[str]) -> tuple[str, dict[str, str]]:
    table = model._meta.db_table
    types = {c: _column_type(model, c) for c in columns}
    con.execute(f"CREATE TABLE {table} ({', '.join(f'{c} {t}' for c, t in types.items())})")
    return table, types


def _load_rows(con, model, table: str, columns: list[str]) -> None:
    """The simple path (SQLite, test-sized data): rows through the ORM, executemany into DuckDB."""
    attnames = [next(f.attname for f in model._meta.concrete_fields if f.column == c) for c in columns]
    marks = ", ".join("?" for _ in columns)
    chunk = []
    for row in model.objects.order_by().values_list(*attnames).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            con.executemany(f"INSERT INTO {table} VALUES ({marks})", chunk)
            chunk = []
    if chunk:
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", chunk)


def _read_csv(table: str, types: dict[str, str]) -> str:
    """INSERT from a CSV file written by PostgreSQL's COPY … (FORMAT csv): declared types, no sniffing;
    an unquoted empty field is NULL and "" the empty string (nullstr='', allow_quoted_nulls=false)."""
    columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in types.items()) + "}"
    return (f"INSERT INTO {table} SELECT * FROM read_csv(?, columns={columns}, header=false, auto_detect=false, "
            "delim=',', quote='\"', escape='\"', nullstr='', allow_quoted_nulls=false)")


def _copy_out(table: str, types: dict[str, str], out) -> None:
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY (SELECT {', '.join(types)} FROM {table}) TO STDOUT (FORMAT csv)") as copy:
            for data in copy:
                out.write(data)


def _open_writer(path: Path, reader: threading.Thread) -> int:
    """The write end of the FIFO, once DuckDB has opened its read end (or fail if the reader died)."""
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO or not reader.is_alive():
                raise
            time.sleep(0.005)
            continue
        os.set_blocking(fd, True)
        return fd


def _load_copy(con, table: str, types: dict[str, str], workdir: Path) -> None:
    """PostgreSQL: COPY (SELECT <columns>) TO STDOUT streamed through a named pipe into DuckDB's CSV
    reader, which runs in a thread on a cursor of its own, so PostgreSQL's output and DuckDB's parsing
    overlap and nothing is written to disk. The COPY stays on this thread's Django connection (same
    transaction and snapshot as the rest of the run). Without mkfifo: through a temporary file."""
    path = workdir / f"{table}.csv"
    if not hasattr(os, "mkfifo"):
        with path.open("wb") as f:
            _copy_out(table, types, f)
        con.execute(_read_csv(table, types), [str(path)])
        path.unlink()
        return
    os.mkfifo(path)
    failed: list[BaseException] = []

    def read() -> None:
        try:
            cur = con.cursor()
            try:
                cur.execute(_read_csv(table, types), [str(path)])
            finally:
                cur.close()
        except BaseException as exc:  # re-raised on the caller's thread
            failed.append(exc)

    reader = threading.Thread(target=read, name=f"duck-read-{table}", daemon=True)
    reader.start()
    try:
        try:
            fd = _open_writer(path, reader)
        except OSError:
            if failed:
                raise failed[0]
            raise
        try:
            with os.fdopen(fd, "wb", buffering=1 << 20) as f:
                _copy_out(table, types, f)
        except BrokenPipeError:  # DuckDB stopped reading: its error says why
            if not failed:
                raise
    finally:
        reader.join()
        path.unlink()
    if failed:
        raise failed[0]


def extract(progress=None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the columns of TABLES, tables named as in the primary database."""
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    with tempfile.TemporaryDirectory(prefix="ykt-duck-") as tmp:
        for n, (label, columns) in enumerate(TABLES.items(), 1):
            model = apps.get_model(label)
            table, types = _create(con, model, columns)
            if connection.vendor == "postgresql":
                _load_copy(con, table, types, Path(tmp))
            else:
                _load_rows(con, model, table, columns)
            if progress:
                progress(n, len(TABLES), f"抽取 {table}")
    return con


def load_scope(con, scope: list[tuple]) -> None:
    sqlviews.load_scope(con, scope, "duckdb")


def run_rule(con, rule, scope: list[tuple] | None, params: dict | None = None, *,
             scope_loaded: bool = False) -> list[engine.Hit]:
    """The hits of `rule` in the extract `con`; `scope` and `params` as for engine.run_rule."""
    if not scope_loaded:
        load_scope(con, scope)
    params = {**engine.rule_params(rule), **(params or {})}
    sql = sqlviews.with_clause(params) + "SELECT * FROM (\n" + rule.sql + "\n) hits ORDER BY item_id"
    used = set(_PARAM.findall(sql))
    cur = con.execute(_PARAM.sub(r"$\1", sql), {k: v for k, v in params.items() if k in used})
    cols = [c[0] for c in cur.description]
    return engine.to_hits(rule, cols, cur.fetchall())
