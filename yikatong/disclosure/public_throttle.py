"""Rate limit of the public list pages (/public/notices/…): per client address (audit.middleware.client_ip),
shared by every worker (core.ratelimit). Past it the page answers 429 in Chinese, nothing read.

Setting: YKT_PUBLIC_LIST_RATE ("60/min"): enough for people reading a village's lists page by page, not
for a crawler walking every region's lists.
"""
from __future__ import annotations

import functools

from django.shortcuts import render

from yikatong.audit.middleware import client_ip
from yikatong.core.ratelimit import setting_rate, throttle

from .errors import PublicListLimited


def per_client(view):
    """Decorate a public list view: one page view spends one of the client's allowance."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        rate = setting_rate("YKT_PUBLIC_LIST_RATE", "60/min")
        try:
            throttle(f"publiclist:ip:{client_ip(request) or 'unknown'}", rate, PublicListLimited,
                     "PUBLIC_LIST_RATE_LIMITED")
        except PublicListLimited as exc:
            response = render(request, "_error.html", {"status": 429, "heading": "访问过于频繁", "code": exc.code,
                                                       "message": exc.message}, status=429)
            response["Retry-After"] = str(rate.window)
            return response
        return view(request, *args, **kwargs)

    return wrapped
