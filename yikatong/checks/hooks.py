"""What checks asks of the layers above it, without importing them (docs/architecture.md: reverse
needs go through a hook in the lower layer). supervision fills these at AppConfig.ready.

- `transfer_clue(actor, finding, reason, now)`: opens the supervision case of a finding transferred
  as a clue (线索移送) inside the disposition's transaction and returns it (it has ``case_no``).
- `released_findings()`: ids (a ``values("finding_id")`` queryset) of transferred findings whose case
  was closed as unsubstantiated (不属实): they no longer hold their item out of payment; None when no
  provider (a transferred finding then holds its item)."""
from collections.abc import Callable

_providers: dict[str, Callable] = {}


def provide_clue_transfer(fn: Callable) -> Callable:
    _providers["transfer_clue"] = fn
    return fn


def provide_released_findings(fn: Callable) -> Callable:
    _providers["released_findings"] = fn
    return fn


def transfer_clue(*, actor, finding, reason: str, now):
    fn = _providers.get("transfer_clue")
    if fn is None:
        raise RuntimeError("no app handles clue transfers (yikatong.supervision is not installed)")
    return fn(actor=actor, finding=finding, reason=reason, now=now)


def released_findings():
    fn = _providers.get("released_findings")
    return None if fn is None else fn()
