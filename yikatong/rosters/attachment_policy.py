"""Who may add which attachment to a batch, and when: declared once, here.

The form (its kind choices), the view (the upload button is shown only where `kinds_for` allows
something), the service (`require_upload`, before any byte is stored) and the template all read
this table. Reading an attachment follows its batch (rosters.scope): whoever sees the batch may
download its attachments; nobody else learns they exist.

    kind           who adds it                                 in which batch states
    notice_photo   township station, village clerk             notice (with the notice it proves)
    summary        department reviewer / head                  dept_approval (the signed 汇总表)
    other          station, township finance office,           any state before the batch is paid
                   department, finance
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from yikatong.accounts.roles import Role
from . import scope
from .errors import RosterError
from .models import Batch, BatchState
from .models.attachment import AttachmentKind

__all__ = ["UploadRule", "UPLOAD_RULES", "CLOSED_STATES", "kinds_for", "upload_refusal", "require_upload",
           "max_bytes"]

#: a paid or closed batch takes no new material of any kind
CLOSED_STATES = frozenset({BatchState.PAID, BatchState.CLOSED})
_BEFORE_PAID = frozenset(BatchState.values) - CLOSED_STATES - {
    BatchState.APPROVED, BatchState.PAYING, BatchState.PARTLY_FAILED}


@dataclass(frozen=True)
class UploadRule:
    roles: frozenset[str]
    states: frozenset[str]
    when: str  # the states, said in Chinese for the refusal


UPLOAD_RULES: dict[str, UploadRule] = {
    AttachmentKind.NOTICE_PHOTO: UploadRule(
        frozenset({Role.TOWNSHIP_OPERATOR, Role.VILLAGE_CLERK}), frozenset({BatchState.NOTICE}),
        "公示照片在公示期间随公示登记上传"),
    AttachmentKind.SUMMARY: UploadRule(
        frozenset({Role.DEPT_REVIEWER, Role.DEPT_HEAD}), frozenset({BatchState.DEPT_APPROVAL}),
        "签字盖章的汇总表在主管部门审批环节上传"),
    AttachmentKind.OTHER: UploadRule(
        frozenset({Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_FINANCE, Role.DEPT_REVIEWER, Role.DEPT_HEAD,
                   Role.FINANCE_REVIEWER}), _BEFORE_PAID,
        "财政审核通过后不再补充材料"),
}
assert not any(CLOSED_STATES & rule.states for rule in UPLOAD_RULES.values())

_DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    """settings.YKT_UPLOAD_MAX_BYTES["attachment"] (the upload limits of issue 13), else 10 MB."""
    limits = getattr(settings, "YKT_UPLOAD_MAX_BYTES", None) or {}
    try:
        return int(limits.get("attachment", _DEFAULT_MAX_BYTES))
    except (AttributeError, TypeError, ValueError):
        return _DEFAULT_MAX_BYTES


def _label(kind: str) -> str:
    return AttachmentKind(kind).label if kind in AttachmentKind.values else str(kind)[:20]


def upload_refusal(actor, batch: Batch, kind: str):
    """None if `actor` may add an attachment of `kind` to `batch` now, else the refusal (with its code):
    unknown kind, not logged in, a role the table does not name (ATTACHMENT_ROLE), outside the
    actor's scope of the batch (rosters.scope codes), a state the table does not name (ATTACHMENT_STATE)."""
    rule = UPLOAD_RULES.get(kind)
    if rule is None:
        return RosterError("ATTACHMENT_KIND")
    if actor is None or not getattr(actor, "is_authenticated", False):
        return scope.ScopeRefused("NOT_AUTHENTICATED")
    what = f"上传“{_label(kind)}”"
    if not (actor.is_superuser and actor.organization_id is None) and not actor.has_role(*rule.roles):
        return scope.ScopeRefused("ATTACHMENT_ROLE", kind=_label(kind))
    answer = scope.refusal(actor, batch, rule.roles, what=what)
    if answer is not None:
        return answer
    if batch.state not in rule.states:
        return RosterError("ATTACHMENT_STATE", batch=batch.code, state=BatchState(batch.state).label,
                           kind=_label(kind), when=rule.when)
    return None


def require_upload(actor, batch: Batch, kind: str) -> None:
    answer = upload_refusal(actor, batch, kind)
    if answer is not None:
        raise answer


def kinds_for(actor, batch: Batch) -> list[tuple[str, str]]:
    """(kind, label) the actor may add to the batch now: the form's choices; empty hides the upload form."""
    return [(kind, _label(kind)) for kind in UPLOAD_RULES if upload_refusal(actor, batch, kind) is None]
