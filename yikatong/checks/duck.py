"""Full sweeps in DuckDB: the columns the views read are extracted from the primary database into
an in-memory DuckDB (columnar), and the same rule SQL runs there (named parameters %(x)s → $x).
No extension is loaded: the machine may be offline."""
import re

import duckdb
from django.apps import apps

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
                                 "name"],
    "registry.ReferenceSnapshot": ["id", "dataset", "source_agency", "is_current"],
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


def extract(progress=None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the extracted columns, tables named as in the primary database."""
    con = duckdb.connect(":memory:")
    for n, (label, columns) in enumerate(TABLES.items(), 1):
        model = apps.get_model(label)
        table = model._meta.db_table
        cols = ", ".join(f"{c} {_column_type(model, c)}" for c in columns)
        con.execute(f"CREATE TABLE {table} ({cols})")
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
        if progress:
            progress(n, len(TABLES), f"抽取 {table}")
    return con


def run_rule(con, rule, scope: list[tuple], params: dict | None = None) -> list[engine.Hit]:
    params = {**engine.rule_params(rule), **(params or {})}
    sql = sqlviews.with_clause(scope, params) + "SELECT * FROM (\n" + rule.sql + "\n) hits ORDER BY item_id"
    used = set(_PARAM.findall(sql))
    cur = con.execute(_PARAM.sub(r"$\1", sql), {k: v for k, v in params.items() if k in used})
    cols = [c[0] for c in cur.description]
    hits, seen = [], set()
    for r in cur.fetchall():
        hit = engine.to_hit(rule, dict(zip(cols, r)))
        if hit.fingerprint not in seen:
            seen.add(hit.fingerprint)
            hits.append(hit)
    return hits
