"""What rosters asks of the layers above it, without importing them (docs/architecture.md: reverse
needs go through a hook in the lower layer). An app above (checks) fills these at AppConfig.ready;
when nobody has, rosters behaves as if that app were not installed.

- `held_items(batch)`: active items held out of payment by a finding, each annotated with
  ``held_rule`` and ``held_state`` (the 汇总表 shows them apart); None when no provider.
- `findings_for(actor, batch_id)`: the batch's findings the actor may read; None when no provider.
- `after_transition(actor, batch, action)`: called inside the transition's transaction, after the
  timeline row is written (checks queues its incremental run there).
- `after_refusal(code, batch_id)`: called once a refused transition's transaction is over (checks
  stores again the findings its inline run wrote and the refusal rolled back).
- `check_start(actor, batch_id)`: a user asks for the cross-checks of a batch (the command
  `yikatong batch check`); checks queues the job and returns it. Refused (CHECKS_UNAVAILABLE) when
  no provider.
- `published_list(batch)`: the batch's latest published list as (public path, SHA-256 digest), for the QR
  code and the digest printed on the notice sheet (disclosure fills it); None when none or no provider."""
from collections.abc import Callable

_providers: dict[str, Callable] = {}
_after_transition: list[Callable] = []
_after_refusal: dict[str, list[Callable]] = {}


def provide_held_items(fn: Callable) -> Callable:
    _providers["held_items"] = fn
    return fn


def provide_findings_for(fn: Callable) -> Callable:
    _providers["findings_for"] = fn
    return fn


def on_transition(fn: Callable) -> Callable:
    if fn not in _after_transition:
        _after_transition.append(fn)
    return fn


def on_refusal(code: str):
    def deco(fn: Callable) -> Callable:
        listeners = _after_refusal.setdefault(code, [])
        if fn not in listeners:
            listeners.append(fn)
        return fn

    return deco


def provide_check_start(fn: Callable) -> Callable:
    _providers["check_start"] = fn
    return fn


def check_start(*, actor, batch_id: int):
    fn = _providers.get("check_start")
    if fn is None:
        from .errors import RosterError

        raise RosterError("CHECKS_UNAVAILABLE")
    return fn(actor=actor, batch_id=batch_id)


def held_items(batch):
    fn = _providers.get("held_items")
    return None if fn is None else fn(batch)


def findings_for(actor, *, batch_id: int):
    fn = _providers.get("findings_for")
    return None if fn is None else fn(actor, batch_id=batch_id)


def after_transition(*, actor, batch, action: str) -> None:
    for fn in _after_transition:
        fn(actor=actor, batch=batch, action=action)


def after_refusal(*, code: str, batch_id: int) -> None:
    for fn in _after_refusal.get(code, ()):
        fn(batch_id)


def provide_published_list(fn: Callable) -> Callable:
    _providers["published_list"] = fn
    return fn


def published_list(batch):
    fn = _providers.get("published_list")
    return None if fn is None else fn(batch)


def provide_result_lines(fn: Callable) -> Callable:
    _providers["result_lines"] = fn
    return fn


def result_lines(batch):
    fn = _providers.get("result_lines")
    return None if fn is None else fn(batch)


_notice_recorded: list[Callable] = []


def on_notice_recorded(fn: Callable) -> Callable:
    if fn not in _notice_recorded:
        _notice_recorded.append(fn)
    return fn


def notice_recorded(*, batch, level: str) -> None:
    for fn in _notice_recorded:
        fn(batch=batch, level=level)


def provide_paid_line(fn: Callable) -> Callable:
    _providers["paid_line"] = fn
    return fn


def paid_line(item):
    """The paid payment line of roster item `item` (as origin or as a reissue's item): a dict with
    ``amount_fen``, ``batch_id`` (the batch whose order paid it), ``paid_at``; None when not paid or no provider
    (payments fills it; supervision opens a recovery (追回) only on a paid item)."""
    fn = _providers.get("paid_line")
    return None if fn is None else fn(item)
