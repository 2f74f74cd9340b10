"""Per-request context (client IP) for audit events, set by middleware."""
from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
