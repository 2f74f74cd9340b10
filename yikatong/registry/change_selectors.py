"""Reads of account change requests (账户变更申请), filtered by the actor's region subtree, and the
accounts that approved changes made current (read by payments when it reissues a failed line)."""
from __future__ import annotations

from django.db.models import QuerySet

from yikatong.accounts.scope import in_scope

from .choices import AccountChangeState
from .fields import chunks
from .models import AccountChangeRequest, BankAccount
from .permissions import ACCOUNT_CHANGE_APPROVE_ROLES, VIEW_ROLES


def changes_for(actor) -> QuerySet[AccountChangeRequest]:
    if actor is None or not actor.is_authenticated or not actor.has_role(*VIEW_ROLES):
        return AccountChangeRequest.objects.none()
    qs = AccountChangeRequest.objects.select_related("person", "person__village", "requested_by", "decided_by")
    return in_scope(qs, actor, "person__village").defer("attachment_enc")


def changes_to_decide(actor) -> QuerySet[AccountChangeRequest]:
    """Pending requests the actor may decide: an approver's role, in scope, not their own request."""
    if actor is None or not actor.is_authenticated or not actor.has_role(*ACCOUNT_CHANGE_APPROVE_ROLES):
        return AccountChangeRequest.objects.none()
    return changes_for(actor).filter(state=AccountChangeState.PENDING).exclude(requested_by=actor)


def accounts_from_applied_changes(person_ids) -> dict[int, BankAccount]:
    """person id -> the current account, for persons whose current account was opened by an applied
    change request. A pending, refused or approved-but-not-yet-effective request changes nothing here.
    No actor: callers pass persons of rows they already hold in scope (a batch's failed lines)."""
    found: dict[int, BankAccount] = {}
    for chunk in chunks(sorted({pid for pid in person_ids if pid})):
        rows = BankAccount.objects.filter(
            person_id__in=chunk, is_current=True,
            pk__in=AccountChangeRequest.objects.filter(state=AccountChangeState.APPLIED, person_id__in=chunk)
            .values("new_account_id"))
        for account in rows:
            found[account.person_id] = account
    return found
