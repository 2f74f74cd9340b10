"""Per-region and per-policy rule settings: resolution, permissions, effect on runs, audit."""
from collections import defaultdict

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from tests.support.env import login
from yikatong.audit.models import AuditEvent
from yikatong.checks import services
from yikatong.checks.models import Finding, Rule, RuleRun, RuleSetting
from yikatong.checks.rulesettings import effective_for
from yikatong.checks.setting_services import rule_setting_save

from .conftest import TRUTH

pytestmark = pytest.mark.django_db


def put(user, rule="AMOUNT_STANDARD", region="", policy="", enabled=True, params=None, reason="按文件调整"):
    return rule_setting_save(actor=user, rule_code=rule, region_code=region, policy_code=policy, enabled=enabled,
                            params=params or {}, reason=reason)


def found(batch) -> dict[str, set[int]]:
    out = defaultdict(set)
    for f in Finding.objects.filter(batch=batch, state="open").select_related("rule", "item"):
        out[f.rule.code].add(f.item.seq)
    return dict(out)


def test_resolution_order(rw, regions):
    fin, county, town1, town2 = rw.users["fin"], regions["county"].code, regions["town1"].code, regions["town2"].code
    services.ensure_rules()
    rule = Rule.objects.get(code="AMOUNT_STANDARD")

    def tolerance(region, policy="DB01"):
        enabled, params, _ = effective_for(rule, region, policy)
        return params["tolerance_fen"]

    assert tolerance(town1) == 0  # the rule's default
    put(fin, region=county, params={"tolerance_fen": 100})
    assert tolerance(town1) == 100
    put(fin, region=town1, params={"tolerance_fen": 200})
    assert tolerance(town1) == 200 and tolerance(town2) == 100  # the nearest ancestor region wins
    put(fin, policy="DB01", params={"tolerance_fen": 300})
    assert tolerance(town1) == 300 and tolerance(town1, "XX99") == 200  # policy beats region
    put(fin, region=county, policy="DB01", params={"tolerance_fen": 400})
    assert tolerance(town1) == 400 and tolerance(town2) == 400  # region + policy beats policy
    put(fin, region=town1, policy="DB01", params={"tolerance_fen": 500})
    assert tolerance(town1) == 500 and tolerance(town2) == 400
    s = put(fin, region=town1, policy="DB01", params={"tolerance_fen": 600})
    assert tolerance(town1) == 600 and s.version == 2  # the latest version of the key
    assert RuleSetting.objects.filter(rule=rule).count() == 6  # nothing overwritten
    assert tolerance(regions["other_county"].code) == 300  # the policy-wide setting applies everywhere


def test_permissions_matrix_nothing_changed_when_refused(rw, regions, make_user):
    from yikatong.accounts.roles import Role

    town1 = regions["town1"].code
    before = (RuleSetting.objects.count(), AuditEvent.objects.count())
    refused = [
        (AnonymousUser(), dict(region=town1)),
        (rw.users["zhan"], dict(region=town1)),  # township operator: wrong role
        (rw.users["other_fin"], dict(region=town1)),  # finance of another county: wrong region
        (rw.users["ny_rev"], dict(region=town1, policy="DB01")),  # not the policy's department
        (rw.users["mz_rev"], dict(region=town1)),  # a department sets its policies only
        (make_user("sv", Role.SUPERVISOR), dict(region=town1)),
    ]
    for user, where in refused:
        with pytest.raises(PermissionDenied):
            put(user, **where)
    assert (RuleSetting.objects.count(), AuditEvent.objects.count()) == before
    assert put(rw.users["fin"], region=town1).version == 1
    assert put(rw.users["mz_rev"], region=town1, policy="DB01").version == 1
    assert put(rw.users["mz_head"], policy="DB01", enabled=False).version == 1


def test_parameters_are_checked_with_clear_messages(rw, regions):
    town1 = regions["town1"].code
    cases = [
        ({"tolerance": 5}, "RULE_PARAM_UNKNOWN"),
        ({"tolerance_fen": "五元"}, "RULE_PARAM_NOT_COUNT"),
        ({"tolerance_fen": -1}, "RULE_PARAM_NOT_COUNT"),
        ({"tolerance_fen": True}, "RULE_PARAM_NOT_COUNT"),
        ({"tolerance": 5, "tolerance_fen": -1}, "RULE_PARAMS_INVALID"),
    ]
    for params, code in cases:
        with pytest.raises(ValidationError) as exc:
            put(rw.users["fin"], region=town1, params=params)
        assert exc.value.code == code, params
    with pytest.raises(ValidationError) as exc:
        put(rw.users["fin"], region=town1, reason=" ")
    assert exc.value.code == "RULE_SETTING_REASON_REQUIRED"
    with pytest.raises(ValidationError) as exc:
        put(rw.users["fin"])
    assert exc.value.code == "RULE_SETTING_TARGET_REQUIRED"
    with pytest.raises(ValidationError) as exc:
        put(rw.users["fin"], rule="NOPE", region=town1)
    assert exc.value.code == "CHECK_RULE_UNKNOWN"
    assert not RuleSetting.objects.exists()
    assert put(rw.users["fin"], region=town1, params={"tolerance_fen": "20000"}).params == {"tolerance_fen": 20000}


def test_a_change_is_audited_with_before_and_after(rw, regions):
    town1 = regions["town1"].code
    first = put(rw.users["fin"], region=town1, params={"tolerance_fen": 100}, reason="洪财〔2026〕8号")
    second = put(rw.users["fin"], region=town1, enabled=False, reason="本镇暂停")
    events = AuditEvent.objects.filter(action="checks.rule_setting").order_by("seq")
    assert [e.object_id for e in events] == [str(first.pk), str(second.pk)]
    assert events[0].before is None and events[0].after["params"] == {"tolerance_fen": 100}
    assert events[1].before == {"version": 1, "enabled": True, "params": {"tolerance_fen": 100}}
    assert events[1].after["enabled"] is False and events[1].after["reason"] == "本镇暂停"


def test_a_rule_disabled_for_a_township_still_runs_elsewhere(planted, rw, regions):
    s = put(rw.users["fin"], rule="DUP_PAYMENT", region=regions["town1"].code, enabled=False, reason="本镇另行核查")
    run = services.sweep_run(actor=rw.users["fin"], year="2026")
    assert "DUP_PAYMENT" not in found(planted["batch"])
    assert found(planted["other"])["DUP_PAYMENT"] == {1}  # town2 keeps the rule
    assert {k: v for k, v in found(planted["batch"]).items()} == {k: v for k, v in TRUTH.items() if k != "DUP_PAYMENT"}
    used = RuleRun.objects.get(pk=run.pk).setting_versions
    assert used == {"DUP_PAYMENT": [{"setting": s.pk, "version": 1, "region": regions["town1"].code, "policy": "",
                                     "enabled": False}]}
    # the incremental run of the township's batch skips it as well
    services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    assert "DUP_PAYMENT" not in found(planted["batch"])


def test_a_parameter_change_alters_the_result(planted, rw, regions):
    batch = planted["batch"]
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    assert found(batch)["SHARED_PHONE"] == {23, 24, 25, 26}
    put(rw.users["fin"], rule="SHARED_PHONE", region=regions["town1"].code, params={"max_per_phone": 2})
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    assert found(batch)["SHARED_PHONE"] == set(range(23, 30))
    put(rw.users["mz_head"], rule="AMOUNT_STANDARD", policy="DB01", params={"tolerance_fen": 20000})
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    assert "AMOUNT_STANDARD" not in found(batch)  # the planted case closed under the wider tolerance


def test_the_page_and_form(client, rw, regions):
    town1 = regions["town1"].code
    form = {"rule": "SHARED_PHONE", "region": town1, "policy": "", "enabled": "1", "p_max_per_phone": "5",
            "reason": "本镇多户共用村委会电话"}
    resp = client.post("/checks/rules/settings/", form)
    assert resp.status_code == 302 and resp["Location"].startswith("/login/")
    login(client, rw.users["cun"])  # village clerk: wrong role
    assert client.get("/checks/rules/").status_code == 403
    assert client.post("/checks/rules/settings/", form).status_code == 403
    client.logout()
    login(client, rw.users["other_fin"])  # wrong region
    resp = client.post("/checks/rules/settings/", form, follow=True)
    assert 'data-code="RULE_SETTING_NOT_IN_SCOPE"' in resp.content.decode()
    assert not RuleSetting.objects.exists()
    client.logout()
    login(client, rw.users["czs"])  # township finance office: may read, may not set
    page = client.get("/checks/rules/").content.decode()
    assert "一个电话多人领取" in page and "max_per_phone=3" in page and "保存为新版本" not in page
    client.post("/checks/rules/settings/", form)
    assert not RuleSetting.objects.exists()
    client.logout()
    login(client, rw.users["fin"])
    assert "保存为新版本" in client.get("/checks/rules/").content.decode()
    resp = client.post("/checks/rules/settings/", {**form, "p_max_per_phone": "很多"}, follow=True)
    assert 'data-code="RULE_PARAM_NOT_COUNT"' in resp.content.decode() and not RuleSetting.objects.exists()
    resp = client.post("/checks/rules/settings/", form, follow=True)
    s = RuleSetting.objects.get()
    assert s.params == {"max_per_phone": 5} and s.changed_by == rw.users["fin"]
    assert "本镇多户共用村委会电话" in resp.content.decode()


def test_the_api(client, rw, regions):
    body = {"region": regions["town1"].code, "params": {"max_increase_pct": 80}, "reason": "调标"}
    url = "/api/checks/rules/AMOUNT_JUMP/settings"
    assert client.post(url, body, content_type="application/json").status_code == 401
    assert client.get("/api/checks/rules").status_code == 401
    login(client, rw.users["other_fin"])
    denied = client.post(url, body, content_type="application/json")
    assert denied.status_code == 403 and denied.json()["code"] == "RULE_SETTING_NOT_IN_SCOPE"
    client.logout()
    login(client, rw.users["cun"])
    denied = client.get("/api/checks/rules")
    assert denied.status_code == 403 and denied.json()["code"] == "CHECK_RULES_READ_ROLE"
    denied = client.post(url, body, content_type="application/json")
    assert denied.status_code == 403 and denied.json()["code"] == "RULE_SETTING_ROLE"
    assert not RuleSetting.objects.exists()
    client.logout()
    login(client, rw.users["fin"])
    bad = client.post(url, {**body, "params": {"pct": 1}}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "RULE_PARAM_UNKNOWN"
    ok = client.post(url, body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 1 and ok.json()["params"] == {"max_increase_pct": 80}
    rules = {r["code"]: r for r in client.get("/api/checks/rules").json()}
    assert rules["AMOUNT_JUMP"]["defaults"] == {"max_increase_pct": 50}
    assert [s["version"] for s in rules["AMOUNT_JUMP"]["settings"]] == [1]
