"""Writing audit events. Call `record` inside the transaction of the write it describes."""
from django.db import transaction
from django.utils import timezone

from yikatong.core.masking import mask_personal

from .chain import compute_hash
from .context import current_ip
from .models import AuditEvent, ChainHead


def record(
    *,
    actor,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one hash-chained event. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction of the write")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    # Lock the chain head: concurrent writers append one at a time (row lock on PostgreSQL,
    # the database write lock on SQLite).
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=user,
        actor_name=(user.get_username() if user else (str(actor) if actor else "系统")),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        before=mask_personal(before) if before is not None else None,
        after=mask_personal(after) if after is not None else None,
        ip=ip if ip is not None else current_ip.get(),
        prev_hash=head.hash,
    )
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    ChainHead.objects.filter(id=1).update(seq=event.seq, hash=event.hash)
    return event


def record_export(*, actor, what: str, obj=None, rows: int, object_type: str = "", object_id: str = "") -> AuditEvent:
    """An export or print of personal data: who took how many rows of what (never the rows)."""
    with transaction.atomic():
        return record(actor=actor, action=f"export.{what}", obj=obj, object_type=object_type, object_id=object_id,
                      after={"rows": rows})
