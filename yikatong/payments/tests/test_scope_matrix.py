"""Permission matrix (issue 12, point 3; DESIGN §6.7): every object kind under a batch — the batch, its
items, import runs, notices and objections, attachments, findings, payment orders, failures
(write-offs) and reissues — is seen and changed exactly when its batch is: region subtree AND the
owning department (department roles) or the own station (station operators).

Each refused call is checked for its stable code and for having changed nothing (a snapshot of every
table it could touch); then the allowed actor does the same thing and it works."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.support.factories import add_item as plant_item, clone_batch
from tests.support.scenarios import PNG, do, pay_round, walk_to_approved
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.banksim.options import SimOptions
from yikatong.checks import services as check_services
from yikatong.checks.models import Finding
from yikatong.checks.selectors import findings_for
from yikatong.payments import services
from yikatong.payments.models import PaymentOrder, PaymentOrderItem
from yikatong.payments.selectors import orders_for
from yikatong.rosters import scope
from yikatong.rosters import notices as roster_notices
from yikatong.rosters import services as roster_services
from yikatong.rosters.errors import TransitionRefused
from yikatong.rosters.importer.run import roster_import_stage
from yikatong.rosters.models import Attachment, Batch, BatchItem, ImportRun, Notice, Objection
from yikatong.rosters.selectors import batches_for
from yikatong.rosters.tests.files import card, good_rows, id_number, to_csv

pytestmark = pytest.mark.django_db

ANON = "anonymous"


@pytest.fixture
def cast(pw, regions):
    """Besides the world of the roster fixtures: the head of another department of the same county,
    another station of the same township, and a department, station and treasury of another county."""
    w = pw
    w.user("ny_head", "nync", Role.DEPT_HEAD)
    w.org("station2", "大槐树镇农经站", OrgKind.TOWNSHIP_STATION, "town1", parent=w.orgs["nync"])
    w.user("zhan2", "station2", Role.TOWNSHIP_OPERATOR)
    w.org("oth_mz", "榆次区民政局", OrgKind.LINE_DEPARTMENT, "other_county")
    w.user("oth_rev", "oth_mz", Role.DEPT_REVIEWER)
    w.user("oth_head", "oth_mz", Role.DEPT_HEAD)
    w.org("oth_station", "榆次区某镇民政办", OrgKind.TOWNSHIP_STATION, "other_county")
    w.user("oth_op", "oth_station", Role.TOWNSHIP_OPERATOR)
    w.user("oth_gk", "other_czj", Role.TREASURY)
    return w


def actor(w, who):
    return AnonymousUser() if who == ANON else w.users[who]


def snapshot():
    """Everything a refused write could have touched."""
    return (
        AuditEvent.objects.count(),
        list(Batch.objects.order_by("pk").values_list("pk", "state", "version", "item_count", "total_fen")),
        list(BatchItem.objects.order_by("pk").values_list("pk", "status", "removed_reason")),
        ImportRun.objects.count(), Notice.objects.count(), Attachment.objects.count(),
        list(Objection.objects.order_by("pk").values_list("pk", "resolved_at")),
        list(Finding.objects.order_by("pk").values_list("pk", "state", "disposed_by")),
        list(PaymentOrder.objects.order_by("pk").values_list("pk", "state")),
        list(PaymentOrderItem.objects.order_by("pk").values_list("pk", "status", "written_off_reason")),
    )


def refused(call, code):
    """`call` raises a PermissionDenied / TransitionRefused with `code` and changes nothing."""
    before = snapshot()
    with pytest.raises((PermissionDenied, TransitionRefused)) as exc:
        call()
    assert exc.value.code == code, (exc.value.code, str(exc.value))
    assert snapshot() == before


# department side: own department / other department, same county / department of another county / anonymous
DEPT_CELLS = [("ny_rev", "NOT_OWNING_DEPARTMENT"), ("oth_rev", "NOT_IN_REGION"), (ANON, "NOT_AUTHENTICATED")]
HEAD_CELLS = [("ny_head", "NOT_OWNING_DEPARTMENT"), ("oth_head", "NOT_IN_REGION"), (ANON, "NOT_AUTHENTICATED")]
# station side: own station / other station, same township / station of another county / anonymous
STATION_CELLS = [("zhan2", "NOT_OWN_STATION"), ("oth_op", "NOT_IN_REGION"), (ANON, "NOT_AUTHENTICATED")]


def _imported(w, batch):
    from yikatong.rosters.importer.run import roster_import

    run = roster_import(actor=w.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(3)), filename="清册.csv",
                        mode="all_or_nothing")
    assert run.imported
    batch.refresh_from_db()
    return batch


def test_reads_batch_items_imports_findings_orders(cast, batch):
    w = cast
    batch = _imported(w, batch)
    other = clone_batch(batch, w.regions["town2"], "T2")
    plant_item(other, 1, "对象1", id_number(1), card(98))  # the same person paid twice: a finding on `batch`
    check_services.batch_checks_run(actor=None, batch_id=batch.pk)
    assert Finding.objects.filter(batch=batch).exists()
    sees = {"zhan": True, "czs": True, "cun": True, "op": False, "mz_rev": True, "mz_head": True, "fin": True,
            "zhan2": False, "ny_rev": False, "ny_head": False, "oth_rev": False, "oth_op": False, "other_fin": False,
            ANON: False}
    for who, expected in sees.items():
        a = actor(w, who)
        assert batches_for(a).filter(pk=batch.pk).exists() is expected, who
        assert scope.may_see_batch(a, batch) is expected, who
        # everything under the batch follows it
        assert scope.scoped(BatchItem.objects.filter(batch=batch), a, "batch__").exists() is expected, who
        assert scope.scoped(ImportRun.objects.filter(batch=batch), a, "batch__").exists() is expected, who
        assert findings_for(a).filter(batch=batch).exists() is expected, who


def test_station_writes_items_import_notice_objection_attachment(cast, batch):
    w = cast
    batch = _imported(w, batch)
    item = batch.items.order_by("seq").first()
    values = {"姓名": "新增", "身份证号码": id_number(40), "村(社区)": "第一村委会", "银行账号": card(40),
              "补贴数量": "1", "发放金额(元)": "500"}
    for who, code in STATION_CELLS:
        a = actor(w, who)
        refused(lambda: roster_services.item_remove(actor=a, batch_id=batch.pk, item_id=item.pk, reason="不符合"), code)
        refused(lambda: roster_services.item_add(actor=a, batch_id=batch.pk, values=values), code)
        refused(lambda: roster_import_stage(actor=a, batch_id=batch.pk, data=to_csv(good_rows(1)), filename="x.csv",
                                     mode="all_or_nothing"), code)
        refused(lambda: roster_services.attachment_add(actor=a, batch_id=batch.pk, kind="other", filename="a.png",
                                                       data=PNG), code)
        refused(lambda: do(batch, a, "send_compare"), code)
    Batch.objects.filter(pk=batch.pk).update(state="notice")
    for who, code in STATION_CELLS:
        a = actor(w, who)
        refused(lambda: roster_notices.notice_record(actor=a, batch_id=batch.pk, level="village", start=_today(),
                                                      place="村委会", phone="0357-6221234"), code)
    roster_notices.notice_record(actor=w.users["zhan"], batch_id=batch.pk, level="village", start=_today(),
                                  place="村委会", phone="0357-6221234")
    for who, code in STATION_CELLS:
        a = actor(w, who)
        refused(lambda: roster_notices.objection_record(actor=a, batch_id=batch.pk, raised_by="村民",
                                                         content="不符合条件"), code)
    # the own station may
    Batch.objects.filter(pk=batch.pk).update(state="draft")
    roster_services.item_remove(actor=w.users["zhan"], batch_id=batch.pk, item_id=item.pk, reason="不符合")
    assert BatchItem.objects.get(pk=item.pk).status == "removed"


def _today():
    from django.utils import timezone

    return timezone.localdate()


def test_department_writes_transition_objection_attachment_finding(cast, batch):
    w = cast
    batch = _imported(w, batch)
    other = clone_batch(batch, w.regions["town2"], "T2")
    plant_item(other, 1, "对象1", id_number(1), card(98))
    check_services.batch_checks_run(actor=None, batch_id=batch.pk)
    finding = Finding.objects.get(batch=batch, rule__code="DUP_PAYMENT")
    Batch.objects.filter(pk=batch.pk).update(state="notice")
    roster_notices.notice_record(actor=w.users["zhan"], batch_id=batch.pk, level="village", start=_today(),
                                  place="村委会", phone="0357-6221234")
    objection = roster_notices.objection_record(actor=w.users["zhan"], batch_id=batch.pk, raised_by="村民",
                                                 content="不符合条件")
    Batch.objects.filter(pk=batch.pk).update(state="dept_review")
    batch.refresh_from_db()
    for who, code in DEPT_CELLS + HEAD_CELLS:
        a = actor(w, who)
        refused(lambda: do(batch, a, "approve_notice"), code)
        refused(lambda: roster_notices.objection_resolve(actor=a, objection_id=objection.pk, resolution="已核实"),
                code)
        refused(lambda: roster_services.attachment_add(actor=a, batch_id=batch.pk, kind="summary", filename="s.png",
                                                       data=PNG), code)
        refused(lambda: check_services.finding_dispose(actor=a, finding_id=finding.pk, decision="confirmed",
                                               reason="核实重复"), code if who != ANON else "NOT_AUTHENTICATED")
    # regression (issue 12): "a reviewer of another department cleared a blocking finding"
    refused(lambda: check_services.finding_dispose(actor=w.users["ny_rev"], finding_id=finding.pk, decision="cleared",
                                           reason="另一批次已作废", evidence_text="作废通知"), "NOT_OWNING_DEPARTMENT")
    # the owning department may
    roster_notices.objection_resolve(actor=w.users["mz_rev"], objection_id=objection.pk, resolution="已核实")
    batch = do(batch, w.users["mz_rev"], "approve_notice")
    assert batch.state == "notice"


@pytest.fixture
def failed(cast, batch):
    """A batch paid with two failed lines (E01, E03): partly failed."""
    walk_to_approved(batch, cast, "000")
    refs = list(batch.items.order_by("seq").values_list("item_ref", flat=True))
    order, _, _ = pay_round(batch, cast, SimOptions(fail_ref={refs[0]: "E01", refs[1]: "E03"}))
    batch.refresh_from_db()
    assert batch.state == "partly_failed"
    return batch, order


def test_failures_write_off_and_reissue(cast, failed, client):
    """Regression (issue 12): "a department head could write off another department's payment failures;
    a station operator could change another station's roster or reissue"."""
    w = cast
    batch, order = failed
    first, second = order.items.filter(status="failed").order_by("seq")
    for who, code in HEAD_CELLS + [("other_fin", "NOT_IN_REGION")]:
        a = actor(w, who)
        refused(lambda: services.order_item_write_off(actor=a, order_item_id=first.pk, reason="已死亡"), code)
    for who, code in STATION_CELLS:
        a = actor(w, who)
        refused(lambda: services.reissue_create(actor=a, batch_id=batch.pk), code)
    # the failures page and the write-off over HTTP: another department's head gets 403, nothing changes
    client.force_login(w.users["ny_head"])
    assert client.get(reverse("payments_failures", args=[batch.pk])).status_code == 403
    before = snapshot()
    assert client.post(reverse("payments_write_off", args=[first.pk]), {"reason": "已死亡"}).status_code == 403
    assert snapshot() == before
    # the owning department's head writes off one line; the own station reissues the other
    services.order_item_write_off(actor=w.users["mz_head"], order_item_id=first.pk, reason="经核实已死亡")
    reissue = services.reissue_create(actor=w.users["zhan"], batch_id=batch.pk)
    assert reissue.item_count == 1 and reissue.created_by == w.users["zhan"]
    # the reissue is under the same scope as its origin: another station never changes it
    item = reissue.items.get()
    refused(lambda: roster_services.item_remove(actor=w.users["zhan2"], batch_id=reissue.pk, item_id=item.pk,
                                                reason="x"), "NOT_OWN_STATION")
    assert not scope.may_see_batch(w.users["ny_head"], reissue) and scope.may_see_batch(w.users["mz_head"], reissue)


def test_orders_read_and_release(cast, batch):
    w = cast
    walk_to_approved(batch, w, "000")
    order = services.order_create(actor=w.users["fin"], batch_id=batch.pk)
    assert list(orders_for(w.users["fin"])) == [order] and list(orders_for(w.users["gk"])) == [order]
    for who in ("other_fin", "oth_gk", "mz_head", "ny_head", ANON):
        assert not orders_for(actor(w, who)).exists(), who
    for who, code in [("oth_gk", "NOT_IN_REGION"), (ANON, "NOT_AUTHENTICATED")]:
        a = actor(w, who)
        refused(lambda: services.order_release(actor=a, order_id=order.pk), code)
    services.order_release(actor=w.users["gk"], order_id=order.pk)


@pytest.mark.parametrize("who,status", [("mz_rev", 200), ("ny_rev", 404), ("oth_rev", 404), ("zhan2", 404),
                                        ("zhan", 200)])
def test_http_batch_page_and_transition(cast, batch, client, who, status):
    w = cast
    client.force_login(w.users[who])
    assert client.get(reverse("batch_detail", args=[batch.pk])).status_code == status
    Batch.objects.filter(pk=batch.pk).update(state="dept_review", item_count=1)
    before = snapshot()
    client.post(reverse("batch_transition", args=[batch.pk, "approve_notice"]))
    changed = snapshot() != before
    assert changed is (who == "mz_rev")
