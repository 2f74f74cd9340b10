"""Change requests walk the profile's approval chain with real users at county, prefecture and
province; the last approval publishes a new catalogue version, a rejection changes nothing."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from tests.support.factories import make_spec
from tests.support.scenarios import publish
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.policies import services
from yikatong.policies.diff import compare_catalogues
from yikatong.policies.models import CatalogueState, ChangeKind, ChangeState, PolicyCatalogue
from yikatong.policies.services import assert_payable

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    return publish(world, "county", "fin", "city_fin",
                   [make_spec("HT-1", world.orgs["mz"]), make_spec("HT-2", world.orgs["mz"], name="临时救助")])


def _snapshot():
    return (
        list(PolicyCatalogue.objects.order_by("pk").values_list("pk", "state", "version")),
        sorted((p.catalogue_id, p.code, p.rate_fen) for p in published_policies()),
    )


def published_policies():
    from yikatong.policies.models import Policy

    return Policy.objects.all()


@override_settings(YKT_PROFILE="001")
def test_profile_001_change_walks_county_prefecture_province_chain(world, published):
    w = world
    w.org("prov_ny", "山西省农业农村厅", OrgKind.LINE_DEPARTMENT, "province")
    w.user("prov_ny_head", "prov_ny", Role.DEPT_HEAD)
    request = services.change_request_file(
        actor=w.users["mz_rev"], catalogue=published, kind=ChangeKind.CHANGE, policy_code="HT-1",
        spec=make_spec("HT-1", w.orgs["mz"], rate_fen=62000), reason="按省定标准提高保障标准",
    )
    assert [s.label for s in request.steps.all()] == ["县级补贴项目主管部门", "州（市）人民政府", "省级主管部门", "省财政厅"]
    # who may decide each step; everyone else is refused and nothing moves
    chain = [
        ("mz_head", ["mz_rev", "ny_rev", "fin", "city_mayor"]),  # the applicant's own head, not the filer
        ("city_mayor", ["city_fin", "city_mz_head", "mz_head", "prov_fin"]),
        ("prov_mz_head", ["prov_ny_head", "prov_fin", "city_mz_head"]),  # the applicant's superior department
        ("prov_fin", ["fin", "city_fin", "prov_mz_head"]),
    ]
    for index, (right, wrong) in enumerate(chain):
        for who in wrong:
            with pytest.raises(PermissionDenied):
                services.change_request_decide(actor=w.users[who], request=request, approve=True)
        request.refresh_from_db()
        assert request.current_step == index and request.state == ChangeState.PENDING
        assert PolicyCatalogue.objects.count() == 1
        request = services.change_request_decide(actor=w.users[right], request=request, approve=True, comment="同意")
    assert request.state == ChangeState.APPROVED
    new = request.result_catalogue
    published.refresh_from_db()
    assert published.state == CatalogueState.SUPERSEDED and published.superseded_on is not None
    assert new.state == CatalogueState.PUBLISHED and new.version == 2 and new.previous == published
    assert {p.code: p.rate_fen for p in new.policies.all()} == {"HT-1": 62000, "HT-2": 50000}
    assert {p.code: p.rate_fen for p in published.policies.all()} == {"HT-1": 50000, "HT-2": 50000}  # old kept
    assert AuditEvent.objects.filter(action="policies.change_approve", object_id=str(request.pk)).count() == 4
    diff = {d.code: d for d in compare_catalogues(published.policies.all(), new.policies.all())}
    assert diff["HT-1"].status == "changed" and diff["HT-2"].status == "same"
    assert [(r.label, r.old, r.new) for r in diff["HT-1"].changed_rows] == [("补贴标准", "¥500.00/人", "¥620.00/人")]


@override_settings(YKT_PROFILE="001")
def test_rejected_request_changes_nothing(world, published):
    request = services.change_request_file(
        actor=world.users["mz_rev"], catalogue=published, kind=ChangeKind.RETIRE, policy_code="HT-2", reason="已整合",
    )
    services.change_request_decide(actor=world.users["mz_head"], request=request, approve=True)
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.change_request_decide(actor=world.users["city_mayor"], request=request, approve=False)
    assert exc.value.code == "CHANGE_REJECT_REASON_REQUIRED"
    request = services.change_request_decide(actor=world.users["city_mayor"], request=request, approve=False,
                                          comment="与省级政策不一致")
    assert request.state == ChangeState.REJECTED and request.result_catalogue is None
    assert _snapshot() == before
    assert_payable("HT-2", region_code="141024100000", period="2026-11")
    with pytest.raises(ValidationError) as exc:
        services.change_request_decide(actor=world.users["prov_mz_head"], request=request, approve=True)
    assert exc.value.code == "CHANGE_NOT_PENDING"


def test_default_chain_adds_and_retires_policies(world, published):
    # profile 004: county department -> county finance
    add = services.change_request_file(
        actor=world.users["mz_rev"], catalogue=published, kind=ChangeKind.ADD,
        spec=make_spec("HT-3", world.orgs["mz"], name="困难群众取暖补贴"), reason="县政府常务会议决定新增",
    )
    with pytest.raises(ValidationError) as exc:
        services.change_request_file(actor=world.users["mz_rev"], catalogue=published, kind=ChangeKind.ADD,
                                     spec=make_spec("HT-3", world.orgs["mz"]), reason="重复")
    assert exc.value.code == "CHANGE_ALREADY_PENDING"
    services.change_request_decide(actor=world.users["mz_head"], request=add, approve=True)
    add = services.change_request_decide(actor=world.users["fin"], request=add, approve=True)
    v2 = add.result_catalogue
    assert sorted(v2.policies.values_list("code", flat=True)) == ["HT-1", "HT-2", "HT-3"]
    assert_payable("HT-3", region_code="141024100000", period="2026-11")
    # a request filed against v1 may no longer be filed (v1 is superseded); retire on v2
    with pytest.raises(PermissionDenied):
        services.change_request_file(actor=world.users["mz_rev"], catalogue=published, kind=ChangeKind.RETIRE,
                                     policy_code="HT-2", reason="x")
    retire = services.change_request_file(actor=world.users["mz_rev"], catalogue=v2, kind=ChangeKind.RETIRE,
                                          policy_code="HT-2", reason="已整合进低保")
    services.change_request_decide(actor=world.users["mz_head"], request=retire, approve=True)
    v3 = services.change_request_decide(actor=world.users["fin"], request=retire, approve=True).result_catalogue
    assert v3.version == 3 and sorted(v3.policies.values_list("code", flat=True)) == ["HT-1", "HT-3"]
    with pytest.raises(ValidationError):
        assert_payable("HT-2", region_code="141024100000", period="2026-11")
    assert PolicyCatalogue.objects.filter(state=CatalogueState.SUPERSEDED).count() == 2


def test_only_the_owning_department_may_file(world, published):
    before = _snapshot()
    for who, kw in [
        ("ny_rev", dict(kind=ChangeKind.CHANGE, policy_code="HT-1", spec=make_spec("HT-1", world.orgs["nync"]))),
        ("fin", dict(kind=ChangeKind.RETIRE, policy_code="HT-1")),
        ("op", dict(kind=ChangeKind.RETIRE, policy_code="HT-1")),
    ]:
        with pytest.raises(PermissionDenied):
            services.change_request_file(actor=world.users[who], catalogue=published, reason="x", **kw)
    with pytest.raises(ValidationError) as exc:
        services.change_request_file(actor=world.users["mz_rev"], catalogue=published, kind=ChangeKind.CHANGE,
                                     policy_code="HT-1", spec=make_spec("HT-9", world.orgs["mz"]), reason="x")
    assert exc.value.code == "CHANGE_CODE_IMMUTABLE"
    assert _snapshot() == before and not AuditEvent.objects.filter(action="policies.change_file").exists()
