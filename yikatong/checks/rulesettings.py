"""Per-region and per-policy rule settings (RuleSetting): which one applies to a batch, and the
grouping of a run's batches by the setting that applies to them.

Resolution for a batch: the latest version of the most specific matching setting —
region + policy (the nearest ancestor region of the batch's township first) > policy alone >
region alone (nearest ancestor first) > the rule's own defaults (enabled, its parameters)."""
from .engine import rule_params
from .models import Rule, RuleSetting


def latest_settings(rule: Rule) -> list[RuleSetting]:
    """The latest version of each (region, policy) setting of `rule`."""
    return latest_settings_of([rule]).get(rule.pk, [])


def latest_settings_of(rules) -> dict[int, list[RuleSetting]]:
    """latest_settings for every rule of `rules` in one query (a run reads them all: one query per
    rule per run was a fixed cost on every batch check)."""
    latest: dict[tuple, RuleSetting] = {}
    qs = RuleSetting.objects.filter(rule__in=[r.pk for r in rules]).select_related("region")
    for s in qs.order_by("-version", "-pk"):
        latest.setdefault((s.rule_id, s.region_id, s.policy_code), s)
    out: dict[int, list[RuleSetting]] = {}
    for s in latest.values():
        out.setdefault(s.rule_id, []).append(s)
    return out


def _rank(s: RuleSetting, region_code: str, policy_code: str) -> tuple | None:
    """How specific `s` is for a batch of `policy_code` in `region_code` (higher wins), None if it does not apply."""
    if s.policy_code and s.policy_code != policy_code:
        return None
    if s.region_id is not None and not s.region.contains(region_code):
        return None
    tier = 3 if (s.policy_code and s.region_id) else 2 if s.policy_code else 1
    return tier, s.region.level if s.region_id else 0


def effective_setting(settings: list[RuleSetting], region_code: str, policy_code: str) -> RuleSetting | None:
    best, best_rank = None, None
    for s in settings:
        rank = _rank(s, region_code, policy_code)
        if rank is not None and (best_rank is None or rank > best_rank):
            best, best_rank = s, rank
    return best


def effective_for(rule: Rule, region_code: str, policy_code: str) -> tuple[bool, dict, RuleSetting | None]:
    """(enabled, parameters, the setting applied or None) for one batch's region and policy."""
    s = effective_setting(latest_settings(rule), region_code, policy_code)
    if s is None:
        return rule.enabled, rule_params(rule), None
    return s.enabled, {**rule_params(rule), **s.params}, s


def describe(s: RuleSetting) -> dict:
    return {"setting": s.pk, "version": s.version, "region": s.region_id, "policy": s.policy_code,
            "enabled": s.enabled}


def groups_for(rule: Rule, batches, settings: list[RuleSetting] | None = None
               ) -> tuple[list[tuple[dict, list]], list[dict]]:
    """The enabled groups [(params, batches)] of `batches` (each with .policy loaded) under their
    effective setting, and the settings used (disabled ones included: they are why a group was skipped).
    `settings`: the rule's latest settings when the caller has loaded them (latest_settings_of)."""
    if settings is None:
        settings = latest_settings(rule)
    if not settings:
        return ([(rule_params(rule), list(batches))] if batches else []), []
    groups: dict[int | None, list] = {}
    chosen: dict[int | None, RuleSetting | None] = {}
    for b in batches:
        s = effective_setting(settings, b.region_id, b.policy.code)
        key = s.pk if s else None
        groups.setdefault(key, []).append(b)
        chosen[key] = s
    out, used = [], []
    for key in sorted(groups, key=lambda k: (k is not None, k or 0)):
        s = chosen[key]
        if s is not None:
            used.append(describe(s))
            if not s.enabled:
                continue
        out.append(({**rule_params(rule), **(s.params if s else {})}, groups[key]))
    return out, used
