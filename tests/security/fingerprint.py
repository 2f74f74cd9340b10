"""What "nothing changed" means: the row count of every table (one query) and the state of the
things that move. Sessions and login timestamps are the caller's own and left out."""
from __future__ import annotations

from django.apps import apps
from django.db import connection

SKIP_TABLES = {"django_session"}
# (model label, fields) whose values must not move
STATES = [
    ("rosters.Batch", ("state", "version", "item_count", "total_fen")),
    ("rosters.BatchItem", ("status", "name", "amount_fen", "account_bidx")),
    ("rosters.Objection", ("resolution",)),
    ("payments.PaymentOrder", ("state",)),
    ("payments.PaymentOrderItem", ("status",)),
    ("payments.BankFile", ("status",)),
    ("checks.Finding", ("status",)),
    ("supervision.Clue", ("state",)),
    ("policies.PolicyCatalogue", ("state",)),
    ("policies.Policy", ("name", "standard_fen")),
    ("policies.PolicyChangeRequest", ("state", "current_step")),
    ("funds.FundAllocation", ("state",)),
    ("accounts.User", ("is_active", "password", "totp_enabled", "locked_until", "must_change_password")),
    ("accounts.ApiToken", ("revoked_at",)),
    ("core.Holiday", ("is_workday",)),
    ("jobs.Job", ("state",)),
]


def _fields(model, names):
    have = {f.attname for f in model._meta.concrete_fields}
    return ["pk"] + [n for n in names if n in have]


def fingerprint() -> dict:
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy}
                    - SKIP_TABLES)
    qn = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables)
    with connection.cursor() as cur:
        cur.execute(sql)
        out = dict(zip(tables, cur.fetchone()))
    for label, names in STATES:
        model = apps.get_model(label)
        out[label] = sorted(model.objects.values_list(*_fields(model, names)))
    return out


def changes(before: dict, after: dict) -> list[str]:
    return [k for k in before if before[k] != after.get(k)]
