"""Scope through the parent (DESIGN §6.7): who sees and who changes a batch and everything under it.

One answer for batches, items, findings, notices, attachments, payment orders, failures, write-offs
and reissues: a thing under a batch is visible / changeable exactly when its batch is. Per role:

- department reviewer / head (主管部门): region subtree AND the batch's owning department
  (``Batch.department``) is the actor's organization;
- township operator (乡镇经办站所): region subtree AND the batch was built by the actor's own station
  (the organization of ``Batch.created_by``) — a station never touches another station's roster;
- township finance office, township head, village clerk: the batch's township (a village clerk's
  township is the one their village lies in);
- finance reviewer, treasury, supervisor, system admin: region subtree only;
- any other role (bank, disclosure) and anonymous: nothing.

Supervisors only read. A user holding several roles sees the union; a write is checked against
the roles that may make it (``roles=``), so a department head of another department cannot write
off a failure merely because finance reviewers (region scope) also may.

    batches_for(actor)                              QuerySet of Batch the actor sees
    batch_scope_q(actor, "batch__", roles=...)      Q over anything with a path to its batch
    may_see_batch(actor, batch) / may_change_batch(actor, batch, roles)
    require_change(actor, batch, roles, what)       raises ScopeRefused (a PermissionDenied with a code)
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from yikatong.accounts.roles import READ_ONLY_ROLES, Role
from yikatong.accounts.scope import scope_prefix
from yikatong.core.refusals import Refusal

from . import errors  # noqa: F401  (the catalogue: registers the codes below)

DEPARTMENT_SCOPED = frozenset({Role.DEPT_REVIEWER, Role.DEPT_HEAD})
STATION_SCOPED = frozenset({Role.TOWNSHIP_OPERATOR})
TOWNSHIP_SCOPED = frozenset({Role.TOWNSHIP_FINANCE, Role.TOWNSHIP_HEAD, Role.VILLAGE_CLERK})
REGION_SCOPED = frozenset({Role.FINANCE_REVIEWER, Role.TREASURY, Role.SUPERVISOR, Role.SYSADMIN})
SCOPED_ROLES = DEPARTMENT_SCOPED | STATION_SCOPED | TOWNSHIP_SCOPED | REGION_SCOPED


class ScopeRefused(Refusal, PermissionDenied):
    """Refused for scope or role: a PermissionDenied (views answer 403 / show the message) with a code."""

    default_code = "SCOPE_REFUSED"


def _authenticated(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _everything(actor) -> bool:
    return actor.is_superuser and actor.organization_id is None


def _township_prefix(actor) -> str | None:
    """The township (9-digit prefix) of a township-level actor; a village clerk's is their village's."""
    prefix = scope_prefix(actor)
    if prefix is None:
        return None
    return prefix[:9] if len(prefix) > 9 else prefix


def _acting(actor, roles) -> frozenset[str]:
    held = actor.role_set
    return frozenset(held if roles is None else held & frozenset(str(r) for r in roles))


def _nothing(p: str) -> Q:
    return Q(**{f"{p}pk__in": []})


def _role_q(actor, role: str, p: str) -> Q | None:
    if role in TOWNSHIP_SCOPED:
        prefix = _township_prefix(actor)
    else:
        prefix = scope_prefix(actor)
    if prefix is None:
        return None
    region = Q(**{f"{p}region__code__startswith": prefix}) if prefix else Q()
    if role in DEPARTMENT_SCOPED:
        return region & Q(**{f"{p}department_id": actor.organization_id})
    if role in STATION_SCOPED:
        return region & Q(**{f"{p}created_by__organization_id": actor.organization_id})
    if role in TOWNSHIP_SCOPED or role in REGION_SCOPED:
        return region
    return None


def batch_scope_q(actor, prefix: str = "", *, roles=None, write: bool = False) -> Q:
    """A Q selecting the batches (through `prefix`, e.g. "batch__", "order__batch__") the actor sees
    with `roles` (default: all their roles); `write=True` leaves out read-only roles."""
    if not _authenticated(actor):
        return _nothing(prefix)
    if _everything(actor):
        return Q()
    acting = _acting(actor, roles)
    if write:
        acting -= READ_ONLY_ROLES
    q = None
    for role in sorted(acting):
        rq = _role_q(actor, role, prefix)
        if rq is not None:
            q = rq if q is None else q | rq
    return q if q is not None else _nothing(prefix)


def scoped(qs: QuerySet, actor, prefix: str = "", *, roles=None, write: bool = False) -> QuerySet:
    """`qs` filtered to what lies under the batches the actor sees (distinct rows: ORs never multiply
    them, every path is a forward foreign key)."""
    return qs.filter(batch_scope_q(actor, prefix, roles=roles, write=write))


def batches_for(actor, *, roles=None, write: bool = False) -> QuerySet:
    from .models import Batch

    return scoped(Batch.objects.select_related("policy", "region", "department"), actor, roles=roles, write=write)


def _station_of(batch) -> int | None:
    from yikatong.accounts.models import User

    if batch.created_by_id is None:
        return None
    cached = batch._state.fields_cache.get("created_by")
    if cached is not None:
        return cached.organization_id
    return User.objects.filter(pk=batch.created_by_id).values_list("organization_id", flat=True).first()


def _role_refusal(actor, role: str, batch, what: str) -> Refusal | None:
    if role not in SCOPED_ROLES:
        return ScopeRefused("ROLE_NOT_ALLOWED", what=what)
    prefix = _township_prefix(actor) if role in TOWNSHIP_SCOPED else scope_prefix(actor)
    params = {"batch": batch.code, "what": what}
    if prefix is None or not str(batch.region_id).startswith(prefix):
        return ScopeRefused("NOT_IN_REGION", **params)
    if role in DEPARTMENT_SCOPED and batch.department_id != actor.organization_id:
        return ScopeRefused("NOT_OWNING_DEPARTMENT", department=_department_name(batch), **params)
    if role in STATION_SCOPED and _station_of(batch) != actor.organization_id:
        return ScopeRefused("NOT_OWN_STATION", **params)
    return None


def _department_name(batch) -> str:
    try:
        return batch.department.name
    except Exception:  # noqa: BLE001 — a message must never fail
        return "其他部门"


_ORDER = ("NOT_IN_REGION", "NOT_OWNING_DEPARTMENT", "NOT_OWN_STATION", "ROLE_NOT_ALLOWED")


def refusal(actor, batch, roles=None, *, what: str = "办理该事项", write: bool = True) -> Refusal | None:
    """None if the actor, acting in one of `roles` (default: any of theirs), may change (or with
    write=False see) `batch`; else the refusal with its code. Region first, then department/station."""
    if not _authenticated(actor):
        return ScopeRefused("NOT_AUTHENTICATED")
    if _everything(actor):
        return None
    acting = _acting(actor, roles)
    if not acting:
        return ScopeRefused("ROLE_NOT_ALLOWED", what=what)
    if write and acting <= READ_ONLY_ROLES:
        return ScopeRefused("READ_ONLY_ROLE", what=what)
    if write:
        acting -= READ_ONLY_ROLES
    answers = []
    for role in sorted(acting):
        answer = _role_refusal(actor, role, batch, what)
        if answer is None:
            return None
        answers.append(answer)
    answers.sort(key=lambda r: _ORDER.index(r.code) if r.code in _ORDER else len(_ORDER))
    # the most specific reason: another department of the same region says more than "not your region"
    specific = [a for a in answers if a.code != "NOT_IN_REGION"]
    return specific[0] if specific else answers[0]


def may_see_batch(actor, batch) -> bool:
    return refusal(actor, batch, write=False) is None


def may_change_batch(actor, batch, roles=None) -> bool:
    return refusal(actor, batch, roles) is None


def require_change(actor, batch, roles=None, what: str = "办理该事项") -> None:
    answer = refusal(actor, batch, roles, what=what)
    if answer is not None:
        raise answer


# --- four eyes (四眼, DESIGN §6.8): who made the roster -------------------------------------------------

# Audit actions on a batch by which someone built or changed its roster (besides creating it).
MAKER_BATCH_ACTIONS = ("rosters.create", "rosters.import", "payments.reissue.create")
# Audit actions on one item (add / remove / edit / correct …) all start with this.
MAKER_ITEM_ACTION_PREFIX = "rosters.item_"


def makers_of(batch) -> set[int]:
    """Users who imported or edited the batch's roster: its creator, the actor of every import run
    (accepted or not), and anyone with an audited item write (rosters.item_*) on its items."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from yikatong.audit.models import AuditEvent

    from .models import BatchItem, ImportRun

    ids = {batch.created_by_id}
    ids.update(ImportRun.objects.filter(batch_id=batch.pk).values_list("created_by_id", flat=True))
    item_ids = BatchItem.objects.filter(batch_id=batch.pk).annotate(key=Cast("pk", CharField())).values("key")
    events = AuditEvent.objects.filter(actor__isnull=False)
    ids.update(events.filter(object_type="rosters.batch", object_id=str(batch.pk), action__in=MAKER_BATCH_ACTIONS)
               .values_list("actor_id", flat=True))
    ids.update(events.filter(object_type="rosters.batchitem", action__startswith=MAKER_ITEM_ACTION_PREFIX,
                             object_id__in=item_ids).values_list("actor_id", flat=True))
    ids.discard(None)
    return ids


def is_maker(actor, batch) -> bool:
    return _authenticated(actor) and actor.pk in makers_of(batch)


def _register_guards() -> None:
    from . import guards

    @guards.register("approver_not_maker")
    def approver_not_maker(*, batch, actor, **_):
        """Whoever imported or edited a roster never approves it (DESIGN §6.8)."""
        from yikatong.core.refusals import Problem

        if actor is not None and is_maker(actor, batch):
            return Problem("FOUR_EYES_MAKER_APPROVE", batch=batch.code)
        return None


_register_guards()
