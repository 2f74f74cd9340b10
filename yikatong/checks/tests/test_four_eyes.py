"""Four eyes (四眼, issue 12 point 4; DESIGN §6.8): a blocking finding is never cleared by whoever imported
or edited the roster, nor outside the owning department's reviewer / head roles; clearing it is a
proposal (clear_pending, still blocking) that another head of the owning department confirms or rejects."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tests.support.factories import add_item, clone_batch
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.audit.services import record
from yikatong.checks import services
from yikatong.checks.models import Finding, FindingState
from yikatong.checks.selectors import blocking_findings
from yikatong.core.profiles import get_profile
from yikatong.rosters import guards, scope
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.models import ImportRun
from yikatong.rosters.tests.files import card, good_rows, id_number, to_csv

pytestmark = pytest.mark.django_db

CLEAR = dict(decision="cleared", reason="另一批次已作废，附说明", evidence_text="作废通知 洪民〔2026〕3号")


@pytest.fixture
def dup(rw, batch, regions):
    """A roster imported by the station operator `zhan`, whose item 1 is paid in another batch too:
    one blocking DUP_PAYMENT finding."""
    run = roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(3)), filename="清册.csv",
                        mode="all_or_nothing")
    assert run.imported
    other = clone_batch(batch, regions["town2"], "T2")
    add_item(other, 1, "对象1", id_number(1), card(98))
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    rw.user("mz_head2", "mz", Role.DEPT_HEAD)
    rw.user("ny_head", "nync", Role.DEPT_HEAD)
    return Finding.objects.get(batch=batch, rule__code="DUP_PAYMENT")


def _refused(call, code, finding):
    before = (Finding.objects.filter(pk=finding.pk).values_list("state", "disposed_by", "confirmed_by").get(),
              AuditEvent.objects.count(), finding.evidence_items.count())
    with pytest.raises(PermissionDenied) as exc:
        call()
    assert exc.value.code == code, (exc.value.code, str(exc.value))
    after = (Finding.objects.filter(pk=finding.pk).values_list("state", "disposed_by", "confirmed_by").get(),
             AuditEvent.objects.count(), finding.evidence_items.count())
    assert after == before


def test_the_operator_who_imported_the_roster_cannot_clear_its_blocking_finding(rw, dup):
    """Regression (issue 12): "a blocking finding was cleared by the same township operator who imported
    the roster" — and not by the township finance office either: only the owning department."""
    assert scope.is_maker(rw.users["zhan"], dup.batch)
    for who in ("zhan", "czs"):
        _refused(lambda: services.finding_dispose(actor=rw.users[who], finding_id=dup.pk, **CLEAR), "FOUR_EYES_ROLE", dup)
    assert blocking_findings(dup.batch).count() == 1


def test_a_reviewer_of_another_department_cannot_clear(rw, dup):
    """Regression (issue 12): "a reviewer of another department cleared a blocking finding"."""
    for who in ("ny_rev", "ny_head"):
        _refused(lambda: services.finding_dispose(actor=rw.users[who], finding_id=dup.pk, **CLEAR), "NOT_OWNING_DEPARTMENT",
                 dup)


def test_a_department_member_who_imported_or_edited_the_roster_cannot_clear(rw, dup, batch):
    importer = rw.user("mz_importer", "mz", Role.DEPT_REVIEWER)
    ImportRun.objects.create(batch=batch, filename="补充.csv", sha256="0" * 64, size=1, content_enc=b"",
                             mode="all_or_nothing", created_by=importer)
    editor = rw.user("mz_editor", "mz", Role.DEPT_HEAD)
    item = batch.items.first()
    with transaction.atomic():
        record(actor=editor, action="rosters.item_edit", obj=item, after={"memo": "改"})
    for user in (importer, editor):
        assert scope.is_maker(user, batch)
        _refused(lambda: services.finding_dispose(actor=user, finding_id=dup.pk, **CLEAR), "FOUR_EYES_MAKER", dup)
    # the editor is not the second person either
    services.finding_dispose(actor=rw.users["mz_rev"], finding_id=dup.pk, **CLEAR)
    _refused(lambda: services.finding_clear_confirm(actor=editor, finding_id=dup.pk), "FOUR_EYES_MAKER", dup)
    assert not scope.is_maker(rw.users["mz_rev"], batch)


def test_clearing_is_proposed_and_blocks_until_another_head_confirms(rw, dup):
    u = rw.users
    out = services.finding_dispose(actor=u["mz_rev"], finding_id=dup.pk, **CLEAR)
    assert out.state == FindingState.CLEAR_PENDING and out.disposed_by == u["mz_rev"]
    assert blocking_findings(dup.batch).count() == 1  # still blocks
    assert AuditEvent.objects.filter(action="checks.finding_clear_proposed", object_id=str(dup.pk)).exists()
    with pytest.raises(ValidationError):  # not open any more: no second disposition
        services.finding_dispose(actor=u["mz_head"], finding_id=dup.pk, **CLEAR)
    _refused(lambda: services.finding_clear_confirm(actor=u["mz_rev"], finding_id=dup.pk), "FOUR_EYES_HEAD_ONLY", dup)
    _refused(lambda: services.finding_clear_confirm(actor=u["ny_head"], finding_id=dup.pk), "NOT_OWNING_DEPARTMENT", dup)
    _refused(lambda: services.finding_clear_reject(actor=u["mz_head"], finding_id=dup.pk, note=" "),
             "CLEAR_REVIEW_NOTE_REQUIRED", dup)
    # rejected back to open, then proposed again and confirmed
    back = services.finding_clear_reject(actor=u["mz_head"], finding_id=dup.pk, note="作废通知未盖章")
    assert back.state == FindingState.OPEN and back.disposed_by is None
    services.finding_dispose(actor=u["mz_rev"], finding_id=dup.pk, **CLEAR)
    done = services.finding_clear_confirm(actor=u["mz_head"], finding_id=dup.pk, note="核实无误")
    assert done.state == FindingState.CLEARED and done.confirmed_by == u["mz_head"] and done.confirmed_at
    assert done.disposed_by == u["mz_rev"]
    assert blocking_findings(dup.batch).count() == 0
    assert AuditEvent.objects.filter(action="checks.finding_cleared", actor=u["mz_head"]).exists()
    _refused(lambda: services.finding_clear_confirm(actor=u["mz_head2"], finding_id=dup.pk), "FINDING_NOT_PENDING", dup)


def test_a_head_who_proposed_needs_another_head(rw, dup):
    u = rw.users
    services.finding_dispose(actor=u["mz_head"], finding_id=dup.pk, **CLEAR)
    _refused(lambda: services.finding_clear_confirm(actor=u["mz_head"], finding_id=dup.pk), "FOUR_EYES_SAME_PERSON", dup)
    _refused(lambda: services.finding_clear_reject(actor=u["mz_head"], finding_id=dup.pk, note="撤回"),
             "FOUR_EYES_SAME_PERSON", dup)
    assert services.finding_clear_confirm(actor=u["mz_head2"], finding_id=dup.pk).state == FindingState.CLEARED


def test_warnings_keep_their_one_step_disposal(rw, dup, batch):
    """Only blocking findings need the second person: a warning is cleared by the township as before."""
    from yikatong.checks.models import Rule

    warn = Finding.objects.create(rule=Rule.objects.get(code="SHARED_PHONE"), fingerprint="w1", batch=batch,
                                  item=batch.items.first(), severity="warn", message="一个电话多人领取",
                                  first_seen_at=dup.first_seen_at, last_seen_at=dup.last_seen_at)
    out = services.finding_dispose(actor=rw.users["czs"], finding_id=warn.pk, decision="cleared", reason="同户家人",
                           evidence_text="户口簿")
    assert out.state == FindingState.CLEARED


def test_the_maker_never_approves(rw, dup, batch):
    """Guard `approver_not_maker` (to be added to the approving transitions of the flow table)."""
    profile = get_profile(batch.profile_code)
    problem = guards.check("approver_not_maker", batch=batch, profile=profile, actor=rw.users["zhan"])
    assert problem is not None and problem.code == "FOUR_EYES_MAKER_APPROVE"
    assert guards.check("approver_not_maker", batch=batch, profile=profile, actor=rw.users["mz_head"]) is None


def test_review_over_http(rw, dup, client):
    """The workbench: another department's head cannot even find it; the second head confirms; the API too."""
    from django.urls import reverse

    services.finding_dispose(actor=rw.users["mz_rev"], finding_id=dup.pk, **CLEAR)
    url = reverse("checks_finding_review", args=[dup.pk])
    client.force_login(rw.users["ny_head"])
    assert client.post(url, {"decision": "confirm"}).status_code == 404
    assert Finding.objects.get(pk=dup.pk).state == FindingState.CLEAR_PENDING
    client.force_login(rw.users["mz_rev"])  # the proposer: refused with the four-eyes message
    client.post(url, {"decision": "confirm"})
    assert Finding.objects.get(pk=dup.pk).state == FindingState.CLEAR_PENDING
    client.force_login(rw.users["mz_head"])
    page = client.get(reverse("checks_findings") + "?state=clear_pending").content.decode()
    assert "复核同意排除" in page
    resp = client.post("/api/checks/findings/%d/reject-clear" % dup.pk, {"note": ""}, content_type="application/json")
    assert resp.status_code == 403 and Finding.objects.get(pk=dup.pk).state == FindingState.CLEAR_PENDING
    assert client.post(url, {"decision": "confirm", "note": "同意"}).status_code == 302
    assert Finding.objects.get(pk=dup.pk).state == FindingState.CLEARED
