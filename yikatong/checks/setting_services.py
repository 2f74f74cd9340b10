"""The write of a rule setting (per region and/or policy): finance, or the policy's owning
department, within their region; parameters checked against the rule's defaults; each change
a new version, audited with its before and after."""
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core.refusals import Forbidden, invalid

from . import errors  # noqa: F401  (the refusal catalogue)
from .engine import rule_params
from .models import Rule, RuleSetting

FINANCE_ROLES = frozenset({Role.FINANCE_REVIEWER})
DEPARTMENT_ROLES = frozenset({Role.DEPT_HEAD, Role.DEPT_REVIEWER})
SETTING_ROLES = FINANCE_ROLES | DEPARTMENT_ROLES
# who may read the rule catalogue and its settings history
READ_ROLES = SETTING_ROLES | {Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_FINANCE, Role.SUPERVISOR}


def owns_policy(actor, policy) -> bool:
    """The actor's organisation is the policy's department, or a line department of the policy's line."""
    org = actor.organization
    if org is None:
        return False
    return org.pk == policy.department_id or (org.kind == OrgKind.LINE_DEPARTMENT and bool(org.line)
                                              and org.line == policy.line)


def clean_params(rule: Rule, params: dict | None) -> dict:
    """`params` checked against the rule's parameters: known keys only, each of its default's type
    (digits given as text are accepted for whole numbers); not-negative numbers. One problem is refused
    with its own code (RULE_PARAM_*), several at once with RULE_PARAMS_INVALID naming them all."""
    defaults = rule_params(rule)
    out, problems = {}, []
    for key, value in (params or {}).items():
        if key not in defaults:
            problems.append(invalid("RULE_PARAM_UNKNOWN", rule=rule.name, key=key, allowed="、".join(defaults) or "无"))
            continue
        default = defaults[key]
        if isinstance(default, bool):
            if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
                value = value.strip().lower() in ("true", "1")
            if not isinstance(value, bool):
                problems.append(invalid("RULE_PARAM_NOT_BOOL", rule=rule.name, key=key, value=value))
                continue
        elif isinstance(default, int):
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(invalid("RULE_PARAM_NOT_COUNT", rule=rule.name, key=key, value=value))
                continue
        elif not isinstance(value, type(default)):
            problems.append(invalid("RULE_PARAM_WRONG_TYPE", rule=rule.name, key=key, default=default))
            continue
        out[key] = value
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise invalid("RULE_PARAMS_INVALID", problems="；".join(p.message for p in problems))
    return out


def _latest_policy(code: str):
    from yikatong.policies.models import Policy

    return (Policy.objects.filter(code=code).select_related("catalogue", "department")
            .order_by("-catalogue__year", "-catalogue__version", "-pk").first())


def _state(s: RuleSetting | None) -> dict | None:
    return None if s is None else {"version": s.version, "enabled": s.enabled, "params": s.params}


def rule_setting_save(*, actor, rule_code: str, region_code: str | None, policy_code: str | None, enabled: bool,
                     params: dict | None, reason: str) -> RuleSetting:
    """A new version of the setting of `rule_code` for `region_code` (its subtree) and/or `policy_code`."""
    from yikatong.regions.models import Region

    from .services import ensure_rules

    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*SETTING_ROLES):
        raise Forbidden("RULE_SETTING_ROLE")
    region_code, policy_code = (region_code or "").strip(), (policy_code or "").strip()
    reason = (reason or "").strip()
    if not reason:
        raise invalid("RULE_SETTING_REASON_REQUIRED")
    if not region_code and not policy_code:
        raise invalid("RULE_SETTING_TARGET_REQUIRED")
    with transaction.atomic():
        ensure_rules()
        rule = Rule.objects.select_for_update().filter(code=rule_code).first()
        if rule is None:
            raise invalid("CHECK_RULE_UNKNOWN", rule=rule_code)
        if not rule.sql:  # the rule of manual findings (checks.manual) is never run
            raise invalid("MANUAL_RULE_NO_SETTING")
        region = Region.objects.filter(code=region_code).first() if region_code else None
        if region_code and region is None:
            raise invalid("RULE_SETTING_REGION_UNKNOWN", region=region_code)
        policy = _latest_policy(policy_code) if policy_code else None
        if policy_code and policy is None:
            raise invalid("RULE_SETTING_POLICY_UNKNOWN", policy=policy_code)
        finance = actor.has_role(*FINANCE_ROLES)
        if not finance and not (policy is not None and actor.has_role(*DEPARTMENT_ROLES) and owns_policy(actor, policy)):
            raise Forbidden("RULE_SETTING_NOT_OWN_POLICY")
        where = region.code if region else policy.catalogue.region_id
        if not region_in_scope(actor, where):
            raise Forbidden("RULE_SETTING_NOT_IN_SCOPE")
        clean = clean_params(rule, params)
        key = RuleSetting.objects.filter(rule=rule, region=region, policy_code=policy_code)
        before = key.order_by("-version").first()
        version = (key.aggregate(v=Max("version"))["v"] or 0) + 1
        setting = RuleSetting.objects.create(rule=rule, region=region, policy_code=policy_code, enabled=bool(enabled),
                                             params=clean, version=version, changed_by=actor,
                                             changed_at=timezone.now(), reason=reason)
        record(actor=actor, action="checks.rule_setting", obj=setting,
               object_repr=f"{rule.name} {region.name if region else '全部区划'} {policy_code or '全部政策'}",
               before=_state(before), after={**_state(setting), "reason": reason})
    return setting
