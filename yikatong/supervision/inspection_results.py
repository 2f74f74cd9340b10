"""Results of an inspection (抽查结果): what the phone call, home visit or documents showed for one sample, with
evidence files sealed in the database (core.sealed, purpose EVIDENCE_PURPOSE; the same file checks as finding
evidence: PDF/JPG/PNG/XLSX, read from the bytes). A failed check (不相符) opens a blocking finding of rule
INSPECTION on the sampled item (checks.manual_inspection), linked from the result. One transaction, one audit
event (plus the finding's own)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core.refusals import Forbidden, invalid
from yikatong.core.sealed import seal, unseal

from .inspections import require_inspector
from .models_inspections import (InspectionEvidence, InspectionPlan, InspectionResult, InspectionSample, Method, Outcome,
                                 PlanState)

EVIDENCE_PURPOSE = b"supervision-inspection-evidence"
NOTES_MAX = 2000


def result_record(*, actor, sample_id: int, method: str, outcome: str, notes: str = "",
                  evidence_files=()) -> InspectionResult:
    """Record the result of sample `sample_id` of a plan in progress (once); `evidence_files` are
    checks.evidence.Upload (filename, data)."""
    from yikatong.checks import evidence as files_check
    from yikatong.checks.manual_inspection import finding_open_inspection

    require_inspector(actor)
    notes = (notes or "").strip()[:NOTES_MAX]
    if outcome not in Outcome.values:
        raise invalid("INSPECTION_OUTCOME_INVALID")
    if outcome == Outcome.FAIL and not notes:
        raise invalid("INSPECTION_NOTES_REQUIRED")
    files = files_check.check(evidence_files or [])
    with transaction.atomic():
        sample = InspectionSample.objects.select_related("plan", "item").get(pk=sample_id)
        plan = InspectionPlan.objects.select_for_update().get(pk=sample.plan_id)  # one result at a time per plan
        if not region_in_scope(actor, plan.region_id):
            raise Forbidden("INSPECTION_NOT_IN_SCOPE", what=f"抽查计划 {plan.plan_no}")
        if plan.state != PlanState.IN_PROGRESS:
            raise invalid("INSPECTION_PLAN_NOT_IN_PROGRESS", plan=plan.plan_no, state=plan.get_state_display())
        if method not in plan.methods:
            label = Method(method).label if method in Method.values else method
            raise invalid("INSPECTION_METHOD_NOT_IN_PLAN", plan=plan.plan_no, method=str(label)[:20])
        if InspectionResult.objects.filter(sample=sample).exists():
            raise invalid("INSPECTION_RESULT_EXISTS", rank=sample.rank)
        finding = None
        if outcome == Outcome.FAIL:
            finding = finding_open_inspection(actor=actor, item_id=sample.item_id, source_ref=plan.plan_no,
                                              reason=f"{Method(method).label}：{notes}")
        result = InspectionResult.objects.create(sample=sample, method=method, outcome=outcome, notes=notes,
                                                 finding=finding, recorded_by=actor, recorded_at=timezone.now())
        stored = []
        for upload, ctype in files:
            s = seal(upload.data, purpose=EVIDENCE_PURPOSE)
            stored.append(InspectionEvidence.objects.create(
                result=result, filename=upload.filename, content_type=ctype, size=s.size, sha256=s.sha256,
                content_enc=s.blob))
        record(actor=actor, action="supervision.inspection_result", obj=plan,
               object_repr=f"{plan.plan_no} #{sample.rank}",
               after={"sample": sample.rank, "method": method, "outcome": outcome, "notes": notes[:500],
                      "finding": finding.pk if finding else None,
                      "evidence": [{"filename": e.filename, "size": e.size, "sha256": e.sha256} for e in stored]})
    return result


def evidence_download(*, actor, evidence_id: int) -> tuple[InspectionEvidence, bytes]:
    """One evidence file of a result in the actor's region. Audited (it may show a person's documents)."""
    require_inspector(actor)
    with transaction.atomic():
        ev = InspectionEvidence.objects.select_related("result__sample__plan").get(pk=evidence_id)
        plan = ev.result.sample.plan
        if not region_in_scope(actor, plan.region_id):
            raise InspectionEvidence.DoesNotExist
        data = unseal(ev.content_enc, purpose=EVIDENCE_PURPOSE, sha256=ev.sha256)
        record(actor=actor, action="supervision.inspection_evidence_download", obj=plan,
               object_repr=f"{plan.plan_no} 证据 {ev.filename}", after={"filename": ev.filename, "sha256": ev.sha256})
    return ev, data
