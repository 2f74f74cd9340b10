"""Races in tests: the same or different calls run in threads released together, each thread on its own
database connection (as separate web workers would be). Row-lock races need PostgreSQL: SQLite
serialises every writer, so the tests that use this skip there."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def race(n: int, work: Callable[[int], Any], *, wait: float = 30, join: float = 120) -> list[Any]:
    """Run work(0) … work(n-1) in n threads released together by a barrier; each thread closes its
    database connections when done. Returns, per thread in index order, what work returned or the
    exception it raised."""
    from django.db import connections

    barrier = threading.Barrier(n)
    outcomes: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=wait)
            outcomes[i] = work(i)
        except Exception as exc:  # the caller asserts on it
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=join)
    return outcomes


def failed(outcomes: list[Any], *kinds: type[BaseException]) -> list[BaseException]:
    """The exceptions among `outcomes` (of the given kinds, default any)."""
    return [o for o in outcomes if isinstance(o, kinds or (Exception,))]


def code_or_ok(outcome: Any) -> str:
    """"ok" for a call that returned, else the refusal's code (or the exception's repr if it has none)."""
    if not isinstance(outcome, BaseException):
        return "ok"
    return getattr(outcome, "code", None) or repr(outcome)
