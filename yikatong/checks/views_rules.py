"""Rule catalogue (比对规则): each rule with its defaults and the history of its region / policy
settings; finance and the policy departments set a new version through the form."""
from django.shortcuts import render
from django.views.decorators.http import require_POST

from yikatong.policies.models import Policy
from yikatong.regions.models import Region
from yikatong.web.actions import perform
from yikatong.web.permissions import requires_roles

from . import selectors
from .engine import rule_params
from .setting_services import READ_ROLES, SETTING_ROLES, rule_setting_save


@requires_roles(*READ_ROLES)
def rules(request):
    history: dict[str, list] = {}
    for s in selectors.rule_settings_for(request.user):
        history.setdefault(s.rule.code, []).append(s)
    rows = [{"rule": r, "defaults": rule_params(r), "history": history.get(r.code, [])}
            for r in selectors.rule_catalogue()]
    may_set = request.user.has_role(*SETTING_ROLES)
    prefix = request.user.scope_prefix or ""
    ctx = {"rows": rows, "may_set": may_set}
    if may_set:
        ctx["regions"] = Region.objects.filter(code__startswith=prefix, level__lte=4).order_by("code") if prefix else []
        ctx["policies"] = sorted({(c, n) for c, n in Policy.objects.values_list("code", "name")})
        ctx["param_keys"] = sorted({k for row in rows for k in row["defaults"]})
    return render(request, "checks/rules.html", ctx)


@require_POST
@requires_roles(*READ_ROLES)
def rule_setting_set(request):
    p = request.POST
    params = {k[2:]: v.strip() for k, v in p.items() if k.startswith("p_") and v.strip()}
    return perform(request, lambda: rule_setting_save(
        actor=request.user, rule_code=p.get("rule", ""), region_code=p.get("region", ""),
        policy_code=p.get("policy", ""), enabled=p.get("enabled") == "1", params=params, reason=p.get("reason", "")),
        lambda s: f"已保存：{s}", "checks_rules", flash_denied=True)
