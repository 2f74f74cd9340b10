"""Canonical serialisation and hashing of audit events."""
import hashlib
import json

GENESIS = "0" * 64


def canonical(event) -> bytes:
    payload = {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "ip": event.ip,
        "prev": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()
