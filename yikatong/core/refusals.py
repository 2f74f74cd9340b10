"""Refusals with stable codes.

Every refusal the system gives a user carries a stable, upper-case code (e.g. ``DUPLICATE_PAYMENT``)
that tests, the API and the audit trail key on; the Chinese message shown to people is looked up
by that code in a catalogue each app registers (``register_messages``) and formatted with named
parameters. A refusal whose message is given directly (legacy call sites) keeps the class's
default code.

    raise Refusal("NOTICE_BACKDATED", start="2026-11-01", entered="2026-11-05")
"""
from __future__ import annotations

import string
import sys

from django.core.exceptions import PermissionDenied, ValidationError

_MESSAGES: dict[str, str] = {}
_OWNERS: dict[str, str] = {}  # code -> the module that registered it (its app owns the code)
_CONFLICTS: set[str] = set()  # codes the API answers 409 (register_messages(conflicts=…))


def register_messages(messages: dict[str, str], *, conflicts=()) -> None:
    """Add an app's catalogue of code -> Chinese message template. A code is registered once.
    `conflicts`: the codes of the catalogue that refuse an action the object's current state does not
    allow (not the input, not who asks): the API answers them 409 wherever they are raised."""
    owner = sys._getframe(1).f_globals.get("__name__", "")
    for code, template in messages.items():
        if not is_code(code):
            raise ValueError(f"refusal code {code!r} is not UPPER_SNAKE")
        if code in _MESSAGES and _MESSAGES[code] != template:
            raise ValueError(f"refusal code {code} registered twice with different messages")
        _MESSAGES[code] = template
        _OWNERS.setdefault(code, owner)
    for code in conflicts:
        if code not in _MESSAGES:
            raise ValueError(f"conflict code {code} has no message")
        _CONFLICTS.add(code)


def is_conflict(code: str) -> bool:
    return code in _CONFLICTS


def http_status(exc: BaseException) -> int:
    """The API's answer to a refusal — the one rule: a status set on the exception itself wins (404 for
    an object not found, 429, 502, the state engine's 403/400); else 409 for a code registered as a
    conflict; 403 for a refusal by role or scope (PermissionDenied); 400 for anything else."""
    explicit = getattr(exc, "http_status", None)
    if explicit:
        return explicit
    if is_conflict(code_of(exc)):
        return 409
    return 403 if isinstance(exc, PermissionDenied) else 400


def catalogue() -> dict[str, tuple[str, str]]:
    """Every registered code -> (registering module, Chinese message template), sorted by code."""
    return {code: (_OWNERS.get(code, ""), _MESSAGES[code]) for code in sorted(_MESSAGES)}


def message_for(code: str, **params) -> str:
    template = _MESSAGES.get(code)
    if template is None:
        return code
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        # a missing parameter must never turn a refusal into a server error
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        return template.format(**{f: params.get(f, "") for f in fields})


def is_code(text: str) -> bool:
    return bool(text) and text.replace("_", "").isalnum() and text.isascii() and text.upper() == text


class Refusal(Exception):
    """A refused operation: ``code`` is stable, ``message`` is Chinese and names the object."""

    default_code = "REFUSED"

    def __init__(self, code_or_message: str = "", message: str | None = None, **params):
        if is_code(code_or_message):
            self.code = code_or_message
            self.message = message if message is not None else message_for(code_or_message, **params)
        else:  # legacy: the message itself
            self.code = self.default_code
            self.message = code_or_message if message is None else message
        self.params = params
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class Problem:
    """A guard's answer when it does not hold: a code and the Chinese message."""

    __slots__ = ("code", "message")

    def __init__(self, code: str, message: str | None = None, **params):
        self.code = code
        self.message = message if message is not None else message_for(code, **params)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"Problem({self.code!r}, {self.message!r})"


class Forbidden(Refusal, PermissionDenied):
    """A refusal by role, jurisdiction or rule that answers 403: a PermissionDenied with a code.
    Services and views raise it the same way: ``raise Forbidden("POLICY_NOT_IN_SCOPE", policy=code)``."""

    default_code = "FORBIDDEN"

    def __init__(self, code: str = "FORBIDDEN", message: str | None = None, **params):
        super().__init__(code, message, **params)


def invalid(code: str, **params) -> ValidationError:
    """A refused input as Django's ValidationError, with the stable code as its ``code`` and the
    catalogue's Chinese message: ``raise invalid("QUOTA_AMOUNT_NOT_POSITIVE", amount=…)``. Forms and
    every caller that catches ValidationError keep working; web.actions and the API read the code."""
    return ValidationError(message_for(code, **params), code=code)



def code_of(exc: BaseException, default: str = "REFUSED") -> str:
    """The stable code of any refusal: a Refusal's, a coded ValidationError's, else `default`."""
    if isinstance(exc, Refusal):
        return exc.code
    code = getattr(exc, "code", None)
    if isinstance(exc, ValidationError) and isinstance(code, str) and is_code(code):
        return code
    if isinstance(exc, ValidationError):
        return "VALIDATION_ERROR"
    if isinstance(exc, PermissionDenied):
        return "FORBIDDEN"
    return default


register_messages({
    "FORBIDDEN": "您的角色或辖区无权访问此页面或执行此操作。",
})
