from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "yikatong.rosters"
    label = "rosters"
    verbose_name = "发放清册"

    def ready(self):
        # the shared `state_label` template filter shows batch states by their Chinese names
        from yikatong.web.labels import register_state_labels

        register_state_labels(batch_state_label)
        # `yikatong users add --role township_operator --policy X`: the station belongs to X's department
        from yikatong.accounts.provisioning import provide_policy_department

        provide_policy_department(policy_department)


def policy_department(policy_code: str, region):
    """The county line department that reviews `policy_code`'s batches in `region` (this year's published
    catalogues, else next or last year's), or None."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from yikatong.policies.selectors import current_version

    from .services import reviewing_department

    year = timezone.localdate().year
    policy = next((p for y in (year, year + 1, year - 1)
                   if (p := current_version(policy_code, region_code=region.code, year=y)) is not None), None)
    if policy is None:
        return None
    try:
        return reviewing_department(policy, region)
    except ValidationError:
        return None


def batch_state_label(code: str) -> str | None:
    from .flows import STATES

    return STATES[code].label if code in STATES else None
