"""Guards of the self-query: rate limits per client address and per ID number (core.ratelimit, shared by
every worker) and the arithmetic challenge asked of a client after repeated misses. The challenge is a
signed token (django.core.signing) holding a keyed digest of the answer, never the answer; it expires.

Settings: YKT_SELF_QUERY_IP_RATE ("30/hour"), YKT_SELF_QUERY_ID_RATE ("10/day"),
YKT_SELF_QUERY_CHALLENGE_AFTER (3 misses from one client in the miss window, 1 hour).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from yikatong.core.crypto import vault
from yikatong.core.ratelimit import setting_rate, take, throttle, used

from .errors import SelfQueryLimited

_SALT = "disclosure.query.challenge"
_CHALLENGE_AGE = 600  # seconds
MISS_WINDOW = 3600


def throttle_client(client: str) -> None:
    rate = setting_rate("YKT_SELF_QUERY_IP_RATE", "30/hour")
    throttle(f"selfquery:ip:{client}", rate, SelfQueryLimited, "SELF_QUERY_RATE_LIMITED")


def throttle_person(bidx: str) -> None:
    rate = setting_rate("YKT_SELF_QUERY_ID_RATE", "10/day")
    throttle(f"selfquery:id:{bidx}", rate, SelfQueryLimited, "SELF_QUERY_ID_RATE_LIMITED")


def _miss_key(client: str) -> str:
    return f"selfquery:miss:{client}"


def note_miss(client: str) -> None:
    take(_miss_key(client), limit=10**9, window=MISS_WINDOW)


def challenge_needed(client: str) -> bool:
    after = int(getattr(settings, "YKT_SELF_QUERY_CHALLENGE_AFTER", 3))
    return used(_miss_key(client), window=MISS_WINDOW) >= after


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _digest(answer: str, nonce: str) -> str:
    return vault().digest("selfquery-challenge", answer.strip(), nonce)


def new_challenge() -> Challenge:
    a, b = secrets.randbelow(40) + 10, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(8)
    token = signing.dumps({"h": _digest(str(a + b), nonce), "n": nonce}, salt=_SALT)
    return Challenge(question=f"{a} 加 {b} 等于多少？", token=token)


def challenge_passed(token: str, answer: str) -> bool:
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=_CHALLENGE_AGE)
    except signing.BadSignature:
        return False
    return secrets.compare_digest(str(data.get("h", "")), _digest(answer or "", str(data.get("n", ""))))
