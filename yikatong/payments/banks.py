"""Writes of the bank exchange: agent banks, agreements, batch numbers, the archive of bank files.
The file formats they use are in payments.exchange, which knows no model.

Each call is one transaction with one audit event. `next_batch_no` and `store_bank_file` are
building blocks for the payment-order services, which authorize the actor; the caller may
run them inside its own transaction.
"""
from __future__ import annotations

import base64
import binascii
import datetime
import re

from django.conf import settings
from django.db import IntegrityError, transaction

from yikatong.accounts.models import Organization, OrgKind
from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core import crypto, downloads
from yikatong.core import sealed
from yikatong.core.profiles import current_profile
from yikatong.core.refusals import Forbidden
from yikatong.core.serials import take_next

from .errors import PaymentError
from .exchange.fields import check_account, check_text
from .exchange.filenames import check_bank_code, parse_file_name
from .exchange.mac import ALGORITHMS, preferred_alg
from .exchange.storage import AGREEMENT_PURPOSE
from .exchange.storage import PURPOSE as BANK_FILE_PURPOSE
from .models import AgentBank, AgreementDocument, BankAgreement, BankFile, BatchNumberSequence, Direction, FileKind

__all__ = ["agent_bank_create", "agreement_create", "mac_key_from_text", "next_batch_no", "store_bank_file",
           "BankFileConflict"]

_MAX_SERIAL = 999_999_999  # BATCH_NO_RE allows up to 9 digits


class BankFileConflict(PaymentError, ValueError):
    """A file whose name or bytes were already stored with different content or under another name
    (BANK_FILE_* codes); still a ValueError for the callers that catch one."""

    default_code = "BANK_FILE_CONFLICT"


def _require_admin(actor, organization: Organization) -> None:
    if actor is None or not actor.has_role(Role.SYSADMIN):
        raise Forbidden("BANK_REGISTER_ADMIN_ONLY")
    if not region_in_scope(actor, organization.region_id):
        raise Forbidden("BANK_REGISTER_NOT_IN_REGION")


@transaction.atomic
def agent_bank_create(*, actor, code: str, name: str, organization: Organization) -> AgentBank:
    _require_admin(actor, organization)
    try:
        check_bank_code(code)
    except ValueError:
        raise PaymentError("BANK_CODE_INVALID", bank_code=code) from None
    if organization.kind != OrgKind.AGENT_BANK:
        raise PaymentError("BANK_ORG_NOT_AGENT_BANK", organization=organization.name)
    if check_text(name):
        raise PaymentError("BANK_NAME_INVALID", problem=check_text(name))
    if AgentBank.objects.filter(code=code).exists():
        raise PaymentError("BANK_CODE_TAKEN", bank_code=code)
    bank = AgentBank.objects.create(code=code, name=name, organization=organization)
    record(actor=actor, action="payments.bank.create", obj=bank, after={"code": code, "name": name})
    return bank


_HEX_RE = re.compile(r"^(?:[0-9A-Fa-f]{2})+$")


def mac_key_from_text(text: str) -> bytes:
    """The MAC key as typed on the page or sent to the API: hexadecimal (an even number of 0-9/A-F) or,
    failing that, standard base64. Whitespace is ignored. AGREEMENT_MAC_KEY_UNREADABLE otherwise;
    the length is checked by agreement_create."""
    text = "".join((text or "").split())
    if _HEX_RE.fullmatch(text):
        return bytes.fromhex(text)
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not key:
        raise PaymentError("AGREEMENT_MAC_KEY_UNREADABLE")
    return key


_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def _document_bytes(document) -> bytes:
    """The uploaded signed text's bytes, within settings.YKT_UPLOAD_MAX_BYTES["attachment"] (default 10 MB)."""
    limit = (getattr(settings, "YKT_UPLOAD_MAX_BYTES", None) or {}).get("attachment", _DOCUMENT_MAX_BYTES)
    if hasattr(document, "seek"):
        document.seek(0)
    chunks, size = [], 0
    for chunk in document.chunks() if hasattr(document, "chunks") else iter(lambda: document.read(1 << 20), b""):
        size += len(chunk)
        if size > limit:
            raise PaymentError("AGREEMENT_DOCUMENT_TOO_LARGE", limit=f"{limit / 1024 / 1024:.0f}MB")
        chunks.append(chunk)
    return b"".join(chunks)


@transaction.atomic
def agreement_create(
    *, actor, bank: AgentBank, payer: Organization, payer_account: str, payer_name: str, mac_key: bytes,
    valid_from: datetime.date, valid_to: datetime.date | None = None, mac_alg: str | None = None,
    department: Organization | None = None, document=None, pay_within_working_days: int | None = None,
    report_within_days: int | None = None,
) -> BankAgreement:
    """Register an agreement. Time limits default from the local profile; where the profile
    requires the three-party agreement (seed 003) the department and the signed text are required."""
    _require_admin(actor, payer)
    profile = current_profile()
    for label, problem in (("付款账号", check_account(payer_account)), ("付款户名", check_text(payer_name))):
        if problem:
            raise PaymentError("AGREEMENT_PAYER_INVALID", label=label, problem=problem)
    if not isinstance(mac_key, bytes) or len(mac_key) < 16:
        raise PaymentError("AGREEMENT_MAC_KEY_SHORT")
    mac_alg = mac_alg or preferred_alg()
    if mac_alg not in ALGORITHMS:
        raise PaymentError("AGREEMENT_MAC_ALG_UNKNOWN", mac_alg=mac_alg)
    if valid_to is not None and valid_to < valid_from:
        raise PaymentError("AGREEMENT_DATES_INVALID")
    if profile.three_party_agreement and (department is None or document is None):
        raise PaymentError("AGREEMENT_THREE_PARTY_REQUIRED")
    agreement = BankAgreement(
        bank=bank, payer=payer, department=department, payer_name=payer_name, mac_alg=mac_alg,
        payer_account_encrypted=crypto.encrypt(payer_account), payer_account_last4=payer_account[-4:],
        mac_key_encrypted=crypto.encrypt(base64.b64encode(mac_key).decode("ascii")),
        pay_within_working_days=pay_within_working_days if pay_within_working_days is not None
        else profile.bank_pay_within_working_days,
        report_within_days=report_within_days if report_within_days is not None else profile.bank_report_within_days,
        valid_from=valid_from, valid_to=valid_to,
    )
    if document is not None:
        data = _document_bytes(document)
        ctype = downloads.sniff(data)
        if ctype is None:
            raise PaymentError("AGREEMENT_DOCUMENT_TYPE")
        box = sealed.seal(data, purpose=AGREEMENT_PURPOSE)
        agreement.document_sha256 = box.sha256
    agreement.save()
    if document is not None:
        AgreementDocument.objects.create(
            agreement=agreement, content_type=ctype, size=box.size, sha256=box.sha256, content_enc=box.blob,
            filename=downloads.safe_filename(getattr(document, "name", "") or "", content_type=ctype, default="代发协议"))
    record(actor=actor, action="payments.agreement.create", obj=agreement, after={
        "bank": bank.code, "payer": payer.code, "payer_account_last4": agreement.payer_account_last4,
        "mac_alg": mac_alg, "valid_from": valid_from.isoformat(),
        "valid_to": valid_to.isoformat() if valid_to else None, "document_sha256": agreement.document_sha256,
    })
    return agreement


@transaction.atomic
def next_batch_no(*, actor, county_code: str, year: int) -> str:
    """The next batch number of a county and year, e.g. "652301-2026-000123"; unique forever.

    The sequence row is locked (select_for_update) for the rest of the caller's transaction,
    so concurrent callers queue. If that transaction rolls back, the number was never used.
    """
    if type(year) is not int or not 2000 <= year <= 9999:
        raise ValueError(f"年度“{year}”不正确")
    seq, serial = take_next(BatchNumberSequence, county_code=county_code, year=year, what="批次号",
                            max_serial=_MAX_SERIAL)
    batch_no = f"{county_code}-{year}-{serial:06d}"
    record(actor=actor, action="payments.batch_no.allocate", obj=seq, after={"batch_no": batch_no})
    return batch_no


@transaction.atomic
def store_bank_file(*, actor, bank: AgentBank, filename: str, content: bytes,
                    refusal_code: str = "") -> tuple[BankFile, bool]:
    """Archive a file sent (P) or received (R, X), byte for byte, sealed (core.sealed). Returns (file, created).
    `refusal_code`: a received file refused but kept as evidence (it answers nothing).

    The same name with the same bytes again is a replay: the stored file is returned with
    created=False and nothing changes. The same name with other bytes, or the same bytes
    under another name, raises BankFileConflict.
    """
    parts = parse_file_name(filename)
    if parts is None:
        raise ValueError(f"“{filename}”不是 YKT1 银行文件名")
    if parts.bank_code != bank.code:
        raise ValueError(f"文件 {filename} 的银行编码与 {bank} 不一致")
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise TypeError("文件内容必须是字节串")
    content = bytes(content)
    direction = Direction.OUT if parts.kind == FileKind.PAYMENT else Direction.IN
    digest = sealed.digest(content)
    existing = BankFile.objects.filter(kind=parts.kind, filename=filename).first()
    if existing is not None:
        if existing.sha256 == digest:
            return existing, False
        raise BankFileConflict("BANK_FILE_NAME_CONFLICT", filename=filename)
    same_bytes = BankFile.objects.filter(direction=direction, sha256=digest).first()
    if same_bytes is not None:
        raise BankFileConflict("BANK_FILE_REPLAY", filename=filename, other=same_bytes.filename)
    try:
        with transaction.atomic():
            bank_file = BankFile.objects.create(
                direction=direction, kind=parts.kind, bank=bank, batch_no=parts.batch_no, filename=filename,
                content=sealed.seal(content, purpose=BANK_FILE_PURPOSE).blob, sha256=digest, size=len(content),
                refusal_code=refusal_code,
            )
    except IntegrityError:  # a concurrent caller stored it first
        existing = BankFile.objects.filter(kind=parts.kind, filename=filename, sha256=digest).first()
        if existing is not None:
            return existing, False
        raise BankFileConflict("BANK_FILE_CONCURRENT_CONFLICT", filename=filename) from None
    # a refused file kept as evidence is its own event: it answered nothing
    record(actor=actor, action="payments.bank_file.refuse" if refusal_code else "payments.bank_file.store",
           obj=bank_file, after={"direction": direction, "kind": parts.kind, "filename": filename, "sha256": digest,
                                 "size": len(content), "batch_no": parts.batch_no,
                                 **({"refusal_code": refusal_code} if refusal_code else {})})
    return bank_file, True
