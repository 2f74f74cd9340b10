"""Leaks the walk finds that cannot be fixed at once. Each is an xfail(strict=True): once fixed the case
passes, the strict xfail fails, and the entry is deleted here. Keep every entry precise: URL name,
identities, what leaks, who owns the fix. Empty: every leak the walk found is fixed."""
from __future__ import annotations

# URL name (or API operation name) -> (identities, reason)
KNOWN: dict[str, tuple[frozenset[str], str]] = {}


def known_leak(name: str, identity: str) -> str | None:
    """The reason, if (URL name, identity) is a known open finding."""
    entry = KNOWN.get(name)
    if entry is None or identity not in entry[0]:
        return None
    return entry[1]
