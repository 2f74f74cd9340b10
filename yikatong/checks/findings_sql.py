"""Writing one rule's hits as findings, set-based so a sweep with 10^5–10^6 hits stays a handful of
statements: the hits go to a temporary table of the connection (COPY on PostgreSQL, executemany
elsewhere), then

  1. refresh  — findings hit again that are not closed: last run / seen, message, evidence (open ones
                stay open, confirmed / cleared / transferred ones keep their disposition);
  2. reopen   — closed findings hit again become open, with the rule's current severity and version;
  3. create   — hits without a finding of this rule and fingerprint;
  4. close    — open findings of the rule (in the batches in scope) this run did not hit: after steps
                1–3 every finding hit has last_run = this run, so "not hit" is last_run <> run.

Runs inside the caller's transaction. Same statements on SQLite (≥ 3.33, UPDATE … FROM) and PostgreSQL."""
import json

from django.db import connection

from .models import FindingState

HITS_TABLE = "ykt_check_hits"
CHUNK = 5_000
F = "checks_finding"


def _load(cur, hits: list) -> None:
    pg = connection.vendor == "postgresql"
    evidence_type = "JSONB" if pg else "TEXT"
    cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {HITS_TABLE} (fingerprint VARCHAR(64) PRIMARY KEY, "
                f"batch_id BIGINT, item_id BIGINT, id_bidx VARCHAR(64), message VARCHAR(300), "
                f"evidence {evidence_type})")
    cur.execute(f"TRUNCATE {HITS_TABLE}" if pg else f"DELETE FROM {HITS_TABLE}")
    rows = ((h.fingerprint, h.batch_id, h.item_id, h.id_bidx, h.message, json.dumps(h.evidence)) for h in hits)
    if pg:
        with cur.cursor.copy(f"COPY {HITS_TABLE} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(f"ANALYZE {HITS_TABLE}")
    else:
        rows = list(rows)
        for n in range(0, len(rows), CHUNK):
            cur.executemany(f"INSERT INTO {HITS_TABLE} VALUES (%s, %s, %s, %s, %s, %s)", rows[n:n + CHUNK])


def apply_hits(rule, run, hits, *, batch_ids: set[int] | None, now) -> dict:
    """Create / refresh / reopen findings for `hits` (one per fingerprint, the last wins), close the
    open findings of the scope not hit again. Counts as services._run sums them."""
    by_fp = {h.fingerprint: h for h in hits}
    at = connection.ops.adapt_datetimefield_value(now)
    same = f"{F}.rule_id = %s AND {F}.fingerprint = h.fingerprint"
    counts = {"hits": len(hits)}
    with connection.cursor() as cur:
        _load(cur, by_fp.values())
        cur.execute(f"UPDATE {F} SET last_run_id = %s, last_seen_at = %s, message = h.message, evidence = h.evidence "
                    f"FROM {HITS_TABLE} h WHERE {same} AND {F}.state <> %s",
                    [run.pk, at, rule.pk, FindingState.CLOSED])
        cur.execute(f"UPDATE {F} SET state = %s, message = h.message, evidence = h.evidence, severity = %s, "
                    f"rule_version = %s, last_run_id = %s, last_seen_at = %s "
                    f"FROM {HITS_TABLE} h WHERE {same} AND {F}.state = %s",
                    [FindingState.OPEN, rule.severity, rule.version, run.pk, at, rule.pk, FindingState.CLOSED])
        counts["reopened"] = cur.rowcount
        cur.execute(f"INSERT INTO {F} (rule_id, fingerprint, batch_id, item_id, id_bidx, state, severity, message, "
                    f"evidence, rule_version, first_run_id, last_run_id, first_seen_at, last_seen_at, reason) "
                    f"SELECT %s, h.fingerprint, h.batch_id, h.item_id, h.id_bidx, %s, %s, h.message, h.evidence, "
                    f"%s, %s, %s, %s, %s, '' FROM {HITS_TABLE} h "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {F} WHERE {same})",
                    [rule.pk, FindingState.OPEN, rule.severity, rule.version, run.pk, run.pk, at, at, rule.pk])
        counts["created"] = cur.rowcount
        stale = (f"UPDATE {F} SET state = %s, last_run_id = %s, last_seen_at = %s "
                 f"WHERE rule_id = %s AND state = %s AND (last_run_id IS NULL OR last_run_id <> %s)")
        params = [FindingState.CLOSED, run.pk, at, rule.pk, FindingState.OPEN, run.pk]
        if batch_ids is not None:
            ids = sorted(batch_ids) or [-1]
            stale += f" AND batch_id IN ({', '.join(['%s'] * len(ids))})"
            params += ids
        cur.execute(stale, params)
        counts["closed"] = cur.rowcount
    return counts
