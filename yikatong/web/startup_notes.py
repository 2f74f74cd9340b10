"""Lines `yikatong serve` prints once it is up, contributed by the apps installed (a hook: web is
foundation and never imports the demo layer; the demo layer registers its notes at AppConfig.ready,
so production, which does not install it, prints none)."""
from __future__ import annotations

from collections.abc import Callable

_NOTES: list[Callable[[], str]] = []


def register(note: Callable[[], str]) -> None:
    if note not in _NOTES:
        _NOTES.append(note)


def notes() -> list[str]:
    return [n() for n in _NOTES]
