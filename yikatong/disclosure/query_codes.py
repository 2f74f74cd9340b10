"""SMS code of the self-query, where the profile enables it (LocalProfile.self_query_sms_code): after the ID
number and name, a 6-digit code goes to the phone in the register, and the answer is shown only for that code.

No oracle. Every well-formed request gets the same answer — "if the ID number and name match the register, a
code was sent to the registered phone" — with no part of the phone (not even "ending 1234": that would say
the person exists, and hand the last digits of a phone to anyone who knows an ID number and a name). The
request does the same work either way: one person look-up, one SMS rate-limit step per ID number, one job
queued (for nobody, the job sends nothing). The SMS itself is sent by that job (payments.sms.backend(), the
gateway of the 短信告知), never in the request, so the gateway's delay says nothing either. The phone is the
register's (registry.Person, ID number and exact name): someone only on a roster or only an applicant, or a
person without a phone, gets no code — and the same answer. A no-match is not counted as a miss towards the
challenge (that would come sooner for unknown ID numbers); wrong codes are.

Nothing about the code is stored. It is a keyed digest (core.crypto, the data key) of a random nonce and the
ID number's blind index; the sending job and the check recompute it. The browser holds a signed token
(django.core.signing, 5 minutes) with the nonce and the ID number and name encrypted (AES-GCM), so the page
never echoes them. A token allows CODE_ATTEMPTS tries (core.ratelimit, keyed by the nonce) and one success.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing

from yikatong.core.crypto import vault
from yikatong.core.ratelimit import setting_rate, take, throttle
from yikatong.jobs.services import enqueue
from yikatong.registry.models import Person

from .errors import DisclosureError, SelfQueryLimited

CODE_SECONDS = 300  # a code is good for 5 minutes
CODE_ATTEMPTS = 5  # wrong codes allowed per token
_SALT = "disclosure.query.sms-code"
JOB_KIND = "yikatong.disclosure.tasks.self_query_code_job"

@dataclass(frozen=True)
class CodeSent:
    """The answer to the first step when a code is required: the same for everyone."""

    token: str
    minutes: int = CODE_SECONDS // 60

def code_for(nonce: str, bidx: str) -> str:
    """The 6-digit code of one request (a keyed digest: nobody without the data key can compute it)."""
    return f"{int(vault().digest('selfquery-sms-code', nonce, bidx)[:15], 16) % 1_000_000:06d}"

def sms_text(code: str) -> str:
    return (f"【惠民惠农补贴查询】您的本人查询验证码为{code}，{CODE_SECONDS // 60}分钟内有效。"
            "如非本人操作，请忽略本短信，不要把验证码告诉他人。")

def issue(*, number: str, bidx: str, name: str) -> tuple[CodeSent, bool]:
    """Queue the code for the registered phone of the person with this ID number and exact name, if any.
    Returns (the same CodeSent for everyone, whether a person matched — for the audit only).
    SELF_QUERY_SMS_RATE_LIMITED (429) past YKT_SELF_QUERY_SMS_RATE codes per ID number, known or not."""
    throttle(f"selfquery:sms:{bidx}", setting_rate("YKT_SELF_QUERY_SMS_RATE", "3/hour"), SelfQueryLimited,
             "SELF_QUERY_SMS_RATE_LIMITED")
    person = Person.objects.filter(id_bidx=bidx, name=name).exclude(phone_enc="").values_list("pk", flat=True).first()
    nonce = secrets.token_hex(16)
    enqueue(actor=None, kind=JOB_KIND, title="发送本人查询验证码", key=f"disclosure:selfquery-code:{nonce}",
            params={"nonce": nonce, "person": person})
    token = signing.dumps({"n": nonce, "q": vault().encrypt(f"{number}|{name}")}, salt=_SALT, compress=True)
    return CodeSent(token=token), person is not None

def send(*, nonce: str, person_id: int | None, sender) -> bool:
    """The job's work: the code to the person's registered phone through `sender` (an SmsBackend). False
    (nothing sent) when no person matched or the phone is gone."""
    if not person_id:
        return False
    row = Person.objects.filter(pk=person_id).values_list("id_bidx", "phone_enc").first()
    if row is None or not row[1]:
        return False
    bidx, phone_enc = row
    sender.send(vault().decrypt(phone_enc), sms_text(code_for(nonce, bidx)))
    return True

def check(token: str, code: str) -> tuple[str, str, str]:
    """(ID number, name, blind index) of a token answered with its code. Refusals (DisclosureError):
    SELF_QUERY_CODE_EXPIRED (token too old, forged or already used), SELF_QUERY_CODE_ATTEMPTS (too many
    wrong codes for this token), SELF_QUERY_CODE_WRONG."""
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=CODE_SECONDS)
        nonce = str(data["n"])
        number, name = vault().decrypt(data["q"]).split("|", 1)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise DisclosureError("SELF_QUERY_CODE_EXPIRED") from None
    if not take(f"selfquery:code:{nonce}", limit=CODE_ATTEMPTS, window=CODE_SECONDS * 2):
        raise DisclosureError("SELF_QUERY_CODE_ATTEMPTS", attempts=CODE_ATTEMPTS)
    bidx = vault().id_index(number)
    if not secrets.compare_digest(code_for(nonce, bidx), (code or "").strip()):
        raise DisclosureError("SELF_QUERY_CODE_WRONG")
    if not take(f"selfquery:code-used:{nonce}", limit=1, window=CODE_SECONDS * 2):
        raise DisclosureError("SELF_QUERY_CODE_EXPIRED")  # one answer per code
    return number, name, bidx
