"""Services of published lists: publish a batch's notice or result list (a new version when its content
changed), withdraw one. Only the 政务公开管理员 in scope; never a confidential (涉密) policy."""
from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import in_scope
from yikatong.audit.services import record
from yikatong.core.refusals import Forbidden
from yikatong.core.statemachine import apply as apply_transition
from yikatong.rosters import hooks as roster_hooks
from yikatong.rosters.guards import NOTICE_LEVELS
from yikatong.rosters.models import Batch

from . import publish_content
from .errors import DisclosureError, DisclosureNotFound
from .models import ListKind, PublishedList
from .publish_flow import MACHINE


def _require_admin(actor, what: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_role(Role.DISCLOSURE_ADMIN):
        raise Forbidden("LIST_ROLE_NOT_ALLOWED", what=what)


def _require_publishable(batch, kind: str) -> None:
    if batch.policy.confidential:
        raise Forbidden("LIST_POLICY_CONFIDENTIAL")
    if kind == ListKind.NOTICE and not batch.notices.filter(level__in=NOTICE_LEVELS).exists():
        raise DisclosureError("LIST_NO_NOTICE", batch=batch.code)
    if kind == ListKind.RESULT and roster_hooks.result_lines(batch) is None:
        raise DisclosureError("LIST_NOT_ANSWERED", batch=batch.code)


@transaction.atomic
def list_publish(*, actor, batch_id: int, kind: str) -> PublishedList:
    """Publish the batch's list of `kind` as it is now: version 1, or the next version when the content differs
    from the latest version (LIST_UNCHANGED when it does not and that version is still published)."""
    _require_admin(actor, "公开名单")
    batch = in_scope(Batch.objects.select_for_update().select_related("policy", "region"), actor).filter(
        pk=batch_id).first()
    if batch is None:
        raise DisclosureNotFound("LIST_NOT_FOUND")
    return publish_locked(batch, kind, actor=actor)


def publish_locked(batch, kind: str, *, actor, why: str = "") -> PublishedList:
    """The write of a publication, on a batch row the caller locked inside its transaction; `actor` None is the
    system (publish_auto), which says `why` in the audit event."""
    if kind not in ListKind.values:
        raise DisclosureError("LIST_KIND_INVALID")
    _require_publishable(batch, kind)
    content = publish_content.build(batch, kind)
    if not content["rows"]:
        raise DisclosureError("LIST_EMPTY", batch=batch.code)
    dig = publish_content.digest(content)
    latest = PublishedList.objects.filter(batch=batch, kind=kind).order_by("-version").first()
    if latest is not None and latest.digest == dig and latest.state == "published":
        raise DisclosureError("LIST_UNCHANGED", version=latest.version)
    version = (PublishedList.objects.filter(batch=batch, kind=kind).aggregate(v=Max("version"))["v"] or 0) + 1
    pl = PublishedList.objects.create(
        batch=batch, kind=kind, version=version, public_id=secrets.token_urlsafe(16)[:22],
        title=content["header"]["title"][:300], content=content, digest=dig, row_count=len(content["rows"]),
        total_fen=content["header"]["total_fen"], published_by=actor, published_at=timezone.now())
    record(actor=actor, action="disclosure.list.publish", obj=pl,
           after={"batch": batch.code, "kind": kind, "version": version, "digest": dig, "rows": pl.row_count,
                  **({"auto": why} if why else {})})
    return pl


def list_withdraw(*, actor, list_id: int, reason: str) -> PublishedList:
    """Withdraw a published version (it stays visible, marked 已撤回 with the reason)."""
    _require_admin(actor, "撤回名单")
    if not in_scope(PublishedList.objects.all(), actor, "batch__region").filter(pk=list_id).exists():
        raise DisclosureNotFound("LIST_NOT_FOUND")
    if not (reason or "").strip():
        raise DisclosureError("LIST_WITHDRAW_REASON")
    return apply_transition(MACHINE, actor=actor, pk=list_id, action="withdraw", reason=reason.strip()[:300],
                            fields={"withdrawn_by_id": actor.pk, "withdraw_reason": reason.strip()[:300]})
