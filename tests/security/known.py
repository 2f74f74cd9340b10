"""Leaks the walk finds whose fix belongs to another part of issue 13, being changed in parallel.

Each is an xfail(strict=True): once the owner's fix is merged the case passes, the strict xfail
fails, and the entry is deleted here. Keep every entry precise: URL name, identities, what leaks,
who owns the fix."""
from __future__ import annotations

from .world import IDENTITY_NAMES

LOGGED_IN = frozenset(IDENTITY_NAMES) - {"anonymous"}

# URL name -> (identities, reason)
KNOWN: dict[str, tuple[frozenset[str], str]] = {
    "audit_events": (frozenset({"B_supervisor", "B_sysadmin"}),
                     "the audit list shows county A's system events (actor None: bank answers, demo) with A's batch "
                     "codes to another county's auditor / system admin — owned by the audit app (issue 13 item 7)"),
    "audit_verify": (frozenset({"B_supervisor", "B_sysadmin"}),
                     "a county's auditor / system admin starts a verification job over the whole chain (every "
                     "county): a job and an audit event — system-wide, owned by the audit app (issue 13 item 7)"),
    "token_revoke": (LOGGED_IN,
                     "POST /account/tokens/<another user's token>/revoke/ answers 500 (ApiToken.DoesNotExist) "
                     "— owned by accounts / API tokens (issue 13 item 6)"),
    "holiday_delete": (frozenset({"B_sysadmin"}),
                       "a county system admin of another county deletes a day of the nationwide holiday calendar "
                       "— owned by the calendar permission (issue 13 item 7: system administrator only)"),
}
# JSON operations posted with an empty multipart body: RejectNulMiddleware reads request.POST, then
# django-ninja reads request.body -> RawPostDataException -> 500 (before the operation's own checks)
_NUL = ("an empty multipart POST to a JSON operation answers 500: RejectNulMiddleware reads request.POST, "
        "django-ninja then reads request.body (RawPostDataException) — owned by settings/middleware (NUL check)")
for _name in ("api:compare", "api:search", "api:reference_hits", "api:dispose", "api:confirm_clear",
              "api:reject_clear", "api:set_setting"):
    KNOWN[_name] = (LOGGED_IN, _NUL)


def known_leak(name: str, identity: str, *, api: bool = False) -> str | None:
    """The reason, if (URL name, identity) is a known finding owned elsewhere (walk of HTML/empty bodies
    only for the multipart case: the API test posts JSON)."""
    entry = KNOWN.get(name)
    if entry is None or identity not in entry[0]:
        return None
    if api and entry[1] is _NUL:
        return None
    return entry[1]
