"""The client address recorded with each audit event (audit.context.current_ip).

`X-Forwarded-For` is believed only when the direct peer is a configured reverse proxy
(settings.YKT_TRUSTED_PROXIES, IPs or CIDRs; empty by default): anyone can send the header, so
otherwise an attacker would choose the address the audit trail shows. Behind a chain of trusted
proxies the client is the right-most address that is not itself a trusted proxy.
"""
import ipaddress
from functools import lru_cache

from django.conf import settings

from .context import current_ip


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(addr, networks) -> bool:
    return addr is not None and any(addr.version == n.version and addr in n for n in networks)


def client_ip(request) -> str | None:
    peer = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(getattr(settings, "YKT_TRUSTED_PROXIES", ()) or ()))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not forwarded or not networks or not _trusted(_address(peer or ""), networks):
        return peer
    for hop in reversed(forwarded.split(",")):
        addr = _address(hop)
        if addr is None:
            return peer  # a malformed hop: believe nothing beyond the proxy
        if not _trusted(addr, networks):
            return str(addr)
    return peer


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
