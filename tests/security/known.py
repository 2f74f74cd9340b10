"""Leaks the walk finds whose fix belongs to another part of issue 13, being changed in parallel.

Each is an xfail(strict=True): once the owner's fix is merged the case passes, the strict xfail
fails, and the entry is deleted here. Keep every entry precise: URL name, identities, what leaks,
who owns the fix."""
from __future__ import annotations

from .world import IDENTITY_NAMES

LOGGED_IN = frozenset(IDENTITY_NAMES) - {"anonymous"}

# URL name -> (identities, reason)
KNOWN: dict[str, tuple[frozenset[str], str]] = {}
_NUL = "(no open finding: every leak the walk found is fixed)"


def known_leak(name: str, identity: str, *, api: bool = False) -> str | None:
    """The reason, if (URL name, identity) is a known finding owned elsewhere (walk of HTML/empty bodies
    only for the multipart case: the API test posts JSON)."""
    entry = KNOWN.get(name)
    if entry is None or identity not in entry[0]:
        return None
    if api and entry[1] is _NUL:
        return None
    return entry[1]
