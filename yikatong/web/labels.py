"""Labels for state codes shown by the `state_label` template filter.

The web layer is foundation and imports no business app: an app whose objects have states registers
its labeller here when it is ready (e.g. rosters in RostersConfig.ready). A code no labeller knows
is shown as it is.
"""
from collections.abc import Callable

_LABELLERS: list[Callable[[str], str | None]] = []


def register_state_labels(labeller: Callable[[str], str | None]) -> None:
    """Add `labeller(code) -> label or None` (None: not one of this app's codes). Idempotent."""
    if labeller not in _LABELLERS:
        _LABELLERS.append(labeller)


def state_label(code: str) -> str:
    for labeller in _LABELLERS:
        label = labeller(code)
        if label is not None:
            return label
    return code
