"""Walking any batch (normal or reissue) from where it is to finance approval, step by step with the
user each step belongs to; stops at the first refusal (raised to the caller)."""
from tests.support.scenarios import PNG, do, record_notices
from yikatong.checks.models import Finding, FindingState
from yikatong.core.profiles import get_profile
from yikatong.rosters import services as roster_services
from yikatong.rosters.models import Batch


def clear_open_findings(w, batch) -> None:
    """The department reviewer clears every open finding of the batch with a reason and evidence, and
    the head confirms where a second person is required (four eyes)."""
    from yikatong.checks import services as checks

    for f in Finding.objects.filter(batch=batch, state=FindingState.OPEN):
        checks.finding_dispose(actor=w.users["mz_rev"], finding_id=f.pk, decision=FindingState.CLEARED,
                       reason="经核实情况属实", evidence_text="入户核实记录")
        f.refresh_from_db()
        if f.state != FindingState.CLEARED:  # a blocking finding: the proposal waits for another head
            checks.finding_clear_confirm(actor=w.users["mz_head"], finding_id=f.pk, note="复核同意排除")


def _step(w, batch, station, clear_findings):
    zhan, czs = (w.users[u] for u in station)
    profile = get_profile(batch.profile_code)
    state = batch.state
    if state == "draft":
        return do(batch, zhan, "start_verify" if profile.township_verify_working_days else "send_compare")
    if state == "verifying":
        return do(batch, zhan, "verified")
    if state == "draft_verified":
        return do(batch, zhan, "send_compare")
    if state == "comparing":
        return do(batch, czs, "compare_pass")
    if state == "compared":
        return do(batch, zhan, "submit")
    if state == "dept_review":
        return do(batch, w.users["mz_rev"], "approve_reissue" if batch.kind == "reissue" else "approve_notice")
    if state == "notice":
        record_notices(batch, zhan, profile)
        return do(batch, zhan, "finish_notice")
    if state == "notice_done":
        return do(batch, czs, "resubmit")
    if state == "dept_approval":
        if clear_findings:
            clear_open_findings(w, batch)
        if not batch.attachments.filter(kind="summary").exists():
            roster_services.attachment_add(actor=w.users["mz_head"], batch_id=batch.pk, kind="summary",
                                           filename="汇总表.png", data=PNG)
        return do(batch, w.users["mz_head"], "dept_approve")
    if state == "finance_review":
        if clear_findings:
            clear_open_findings(w, batch)
        return do(batch, w.users["fin"], "finance_approve")
    return None


def advance(w, batch_id, station, clear_findings=False, limit=15) -> Batch:
    batch = Batch.objects.get(pk=batch_id)
    for _ in range(limit):
        if batch.state == "approved":
            return batch
        nxt = _step(w, batch, station, clear_findings)
        if nxt is None:
            return batch
        batch = nxt
    return batch
