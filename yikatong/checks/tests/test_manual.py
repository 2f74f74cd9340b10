"""Manual findings (checks.manual): raised by a person on one batch item (e.g. for a complaint), blocking,
never run and never closed by a run; who may raise one (role and the batch's scope), once per source and item."""
import pytest

from yikatong.accounts.roles import Role
from yikatong.checks import services
from yikatong.checks.manual import MANUAL_RULE, finding_open_manual
from yikatong.checks.models import Finding, FindingState, Rule
from yikatong.checks.setting_services import rule_setting_save
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.models import BatchItem
from yikatong.rosters.tests.files import good_rows, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(rw, batch):
    roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(2)), filename="a.csv",
                  mode="all_or_nothing")
    return BatchItem.objects.get(batch=batch, seq=1)


def test_a_manual_finding_blocks_and_survives_every_run(rw, item):
    f = finding_open_manual(actor=rw.users["mz_rev"], item_id=item.pk, reason="举报称已死亡", source_ref="TS2026120300001")
    assert (f.severity, f.state, f.batch_id, f.id_bidx) == ("block", FindingState.OPEN, item.batch_id, item.id_bidx)
    rule = Rule.objects.get(code=MANUAL_RULE)
    assert not rule.enabled and rule.sql == ""
    run = services.batch_checks_run(actor=None, batch_id=item.batch_id)
    assert MANUAL_RULE not in run.rules
    f.refresh_from_db()
    assert f.state == FindingState.OPEN
    with pytest.raises(Exception) as e:
        finding_open_manual(actor=rw.users["zhan"], item_id=item.pk, reason="再次", source_ref="TS2026120300001")
    assert e.value.code == "MANUAL_FINDING_EXISTS"
    # another source may raise its own on the same item
    finding_open_manual(actor=rw.users["zhan"], item_id=item.pk, reason="另一件", source_ref="TS2026120300002")
    assert Finding.objects.filter(rule=rule).count() == 2
    with pytest.raises(Exception) as e:  # it is no check rule: no settings
        rule_setting_save(actor=rw.users["fin"], rule_code=MANUAL_RULE, region_code=rw.regions["county"].code,
                          policy_code="", enabled=True, params={}, reason="试")
    assert e.value.code == "MANUAL_RULE_NO_SETTING"


def test_who_may_raise_one(rw, item, make_user, regions):
    def refused(actor, **kw):
        with pytest.raises(Exception) as e:
            finding_open_manual(actor=actor, item_id=item.pk, **{"reason": "x", "source_ref": "TS1", **kw})
        return e.value.code

    assert refused(rw.users["ny_rev"]) == "NOT_OWNING_DEPARTMENT"
    assert refused(rw.users["other_fin"]) == "NOT_IN_REGION"
    assert refused(make_user("gk", Role.DISCLOSURE_ADMIN)) == "ROLE_NOT_ALLOWED"
    assert refused(make_user("jw", Role.SUPERVISOR)) == "ROLE_NOT_ALLOWED"
    assert refused(None) == "NOT_AUTHENTICATED"
    assert refused(rw.users["mz_rev"], source_ref="") == "MANUAL_FINDING_SOURCE_REQUIRED"
    assert refused(rw.users["mz_rev"], reason="") == "MANUAL_FINDING_REASON_REQUIRED"
    assert not Finding.objects.exists()
