"""Writes of supervision: the follow-up of a clue by the supervisor (start investigation, notes,
conclusion) and the audited downloads of case files and evidence. Keyword-only, explicit actor,
one transaction, one audit event each. The clue itself is opened by checks.services.finding_dispose or
disclosure.complaints_links.complaint_transfer_clue (supervision.transfer)."""
from django.db import transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.rosters import scope
from yikatong.audit.services import record
from yikatong.core.refusals import Forbidden, invalid

from . import errors  # noqa: F401  (registers the refusal messages)
from .models import Clue, ClueEntry, ClueState, Conclusion, EntryKind

FOLLOW_UP_ROLES = frozenset({Role.SUPERVISOR})
# The one table of follow-up transitions: action -> (states it may start from, state after)
TRANSITIONS = {
    EntryKind.START: ({ClueState.TRANSFERRED}, ClueState.INVESTIGATING),
    EntryKind.NOTE: ({ClueState.TRANSFERRED, ClueState.INVESTIGATING}, None),
    EntryKind.CONCLUDE: ({ClueState.INVESTIGATING}, ClueState.CONCLUDED),
}


def _locked(actor, clue_id: int) -> Clue:
    clue = Clue.objects.select_for_update(of=("self",)).select_related("finding__batch").get(pk=clue_id)
    if not actor.has_role(*FOLLOW_UP_ROLES):
        raise Forbidden("CLUE_FOLLOW_UP_ROLE")
    # scope through the finding's batch (rosters.scope); supervisors read batches, follow up clues. A
    # complaint's clue has no finding: its region decides
    batch = clue.finding.batch if clue.finding_id else None
    if not region_in_scope(actor, clue.region_id) or (
            batch is not None and scope.refusal(actor, batch, FOLLOW_UP_ROLES, write=False) is not None):
        raise Forbidden("CLUE_NOT_IN_SCOPE", case_no=clue.case_no)
    return clue


def _follow(*, actor, clue_id: int, kind: str, text: str, **changes) -> Clue:
    text = (text or "").strip()
    with transaction.atomic():
        clue = _locked(actor, clue_id)
        sources, target = TRANSITIONS[kind]
        if clue.state not in sources:
            raise invalid("CLUE_STATE_NOT_ALLOWED", case_no=clue.case_no, state=clue.get_state_display(),
                          action=EntryKind(kind).label)
        before = {"state": clue.state}
        now = timezone.now()
        if target:
            changes["state"] = target
        if changes:
            Clue.objects.filter(pk=clue.pk).update(**changes)
        ClueEntry.objects.create(clue=clue, kind=kind, text=text, actor=actor, at=now)
        after = {"state": target or clue.state, "text": text[:500]}
        if "conclusion" in changes:
            after["conclusion"] = changes["conclusion"]
        record(actor=actor, action=f"supervision.clue_{kind}", obj=clue, object_repr=clue.case_no, before=before,
               after=after)
    clue.refresh_from_db()
    return clue


def investigation_start(*, actor, clue_id: int, text: str = "") -> Clue:
    """移送 → 核查中."""
    return _follow(actor=actor, clue_id=clue_id, kind=EntryKind.START, text=text or "开始核查")


def investigation_note_add(*, actor, clue_id: int, text: str) -> Clue:
    """A follow-up entry (who / when / what) while the clue is open."""
    if not (text or "").strip():
        raise invalid("CLUE_NOTE_EMPTY")
    return _follow(actor=actor, clue_id=clue_id, kind=EntryKind.NOTE, text=text)


def investigation_conclude(*, actor, clue_id: int, conclusion: str, text: str) -> Clue:
    """核查中 → 已办结 with a conclusion: 属实 / 不属实, and its explanation."""
    if conclusion not in Conclusion.values:
        raise invalid("CLUE_CONCLUSION_INVALID")
    if not (text or "").strip():
        raise invalid("CLUE_CONCLUSION_TEXT_REQUIRED")
    return _follow(actor=actor, clue_id=clue_id, kind=EntryKind.CONCLUDE, text=text, conclusion=conclusion,
                   conclusion_text=text.strip(), concluded_by=actor, concluded_at=timezone.now())


def case_file_download(*, actor, clue_id: int) -> tuple[str, bytes]:
    """The case file (案卷) of a clue as a zip: 案卷.xlsx plus the evidence files. Audited."""
    from .casefile import build

    with transaction.atomic():
        clue = _locked(actor, clue_id)
        name, data, files = build(clue)
        record(actor=actor, action="supervision.casefile_download", obj=clue, object_repr=clue.case_no,
               after={"files": files, "size": len(data)})
    return name, data


def evidence_download(*, actor, evidence_id: int):
    """One evidence file of a finding in the supervisor's region (e.g. to audit a clearing). Audited."""
    from yikatong.checks.evidence import content_of
    from yikatong.checks.models import FindingEvidence

    with transaction.atomic():
        if not actor.has_role(*FOLLOW_UP_ROLES):
            raise Forbidden("EVIDENCE_DOWNLOAD_ROLE")
        qs = scope.scoped(FindingEvidence.objects.select_related("finding"), actor, "finding__batch__",
                          roles=FOLLOW_UP_ROLES)
        item = qs.exclude(filename="").get(pk=evidence_id)
        data = content_of(item)
        record(actor=actor, action="supervision.evidence_download", obj=item.finding,
               object_repr=f"疑点 #{item.finding_id} 依据 {item.filename}",
               after={"filename": item.filename, "sha256": item.sha256})
    return item, data
