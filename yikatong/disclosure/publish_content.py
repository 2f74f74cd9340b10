"""The canonical content of a published list and its digest: header fields and rows as JSON with sorted keys,
no spaces, UTF-8; `digest` is the SHA-256 hex of exactly those bytes (anyone can recompute it from the page's
JSON). Only masked IDs (at most the first 6 and last 4 characters), never a phone or an account."""
from __future__ import annotations

import hashlib
import json

from yikatong.core.money import Money
from yikatong.rosters import hooks as roster_hooks
from yikatong.rosters.notice_print import current_notice

from .models import ListKind


def canonical(content: dict) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest(content: dict) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


def mask_id(masked: str) -> str:
    """Keep at most the first 6 and last 4 characters visible (the stored masks already show fewer)."""
    v = masked or ""
    if len(v) <= 10:
        return v
    return v[:6] + "".join("*" if ch != "*" else ch for ch in v[6:-4]) + v[-4:]


def title_of(batch, kind: str) -> str:
    return f"{batch.policy.name} {batch.period} {batch.region.name} {ListKind(kind).label}"


def _header(batch, kind: str, rows: list[dict], total_fen: int) -> dict:
    n = current_notice(batch) if kind == ListKind.NOTICE else None
    return {"title": title_of(batch, kind), "policy": batch.policy.name, "period": batch.period,
            "region": batch.region.name, "region_code": batch.region.code,
            "start": n.start.isoformat() if n else "", "end": n.end.isoformat() if n else "",
            "place": n.place if n else "", "supervision_phone": n.phone if n else "",
            "count": len(rows), "total_fen": total_fen, "total": Money.from_fen(total_fen).yuan_str()}


def notice_rows(batch) -> list[dict]:
    items = batch.items.filter(status="active").select_related("village").order_by("village__code", "seq")
    return [{"seq": n, "name": it.name, "id": mask_id(it.id_masked), "village": it.village.name if it.village else "",
             "quantity": str(it.quantity.normalize()) if it.quantity is not None else "",
             "standard_fen": it.standard_fen, "amount_fen": it.amount_fen}
            for n, it in enumerate(items.iterator(chunk_size=5000), 1)]


def result_rows(batch) -> list[dict] | None:
    """payments.notice.rows of the answered orders (through rosters.hooks: disclosure and payments are peers);
    None before the bank answered."""
    lines = roster_hooks.result_lines(batch)
    if lines is None:
        return None
    return [{"seq": r["seq"], "name": r["name"], "id": mask_id(r["id_masked"]), "village": r["village"],
             "quantity": "", "standard_fen": None, "amount_fen": r["amount_fen"], "paid_on": r["paid_on"],
             "status": r["status"]} for r in lines]


def build(batch, kind: str) -> dict:
    rows = (notice_rows(batch) if kind == ListKind.NOTICE else result_rows(batch)) or []
    total = sum(r["amount_fen"] for r in rows)
    return {"header": _header(batch, kind, rows, total), "rows": rows}
