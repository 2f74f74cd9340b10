"""The printed notice (公示表) of a batch: one sheet per village (page break between), each with its title, the
notice dates, place and supervision phone (监督电话) of the current notice, the rows (name, masked ID, amount —
never a full ID, account or phone), the 合计 (count and total, yuan formatted from fen) and a QR code (segno,
inline SVG) linking to the batch's public page.

四公开 (seed 004: policy, standard, recipients, amounts) is a profile field (LocalProfile.notice_four_public):
when set, each sheet also states the policy basis (政策依据) and the standard (补贴标准), per row too.

The QR target is settings.YKT_PUBLIC_BASE_URL + the public page of the batch's latest published list
(disclosure provides it through hooks.published_list, with the list's SHA-256 digest printed on the sheet so a
reader can verify the paper against the page). Before any list is published the QR falls back to
/public/notices/<public id>/ with a keyed digest of the batch (salted_hmac of the SECRET_KEY: stable, not
guessable); the public site answers that path with a page saying the list is not published yet.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import segno
from django.conf import settings
from django.utils.crypto import salted_hmac

from yikatong.core.money import Money
from yikatong.core.profiles import get_profile

from . import hooks
from .guards import NOTICE_LEVELS

PUBLIC_PATH = "/public/notices/{public_id}/"


def public_id(batch) -> str:
    return salted_hmac("ykt.rosters.notice-public-id", f"{batch.pk}:{batch.code}").hexdigest()[:24]


def public_url(batch) -> str:
    published = hooks.published_list(batch)
    path = published[0] if published else PUBLIC_PATH.format(public_id=public_id(batch))
    return settings.YKT_PUBLIC_BASE_URL.rstrip("/") + path


def published_digest(batch) -> str:
    published = hooks.published_list(batch)
    return published[1] if published else ""


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3)


@dataclass
class Sheet:
    village: str
    rows: list[dict] = field(default_factory=list)
    total_fen: int = 0

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def total_yuan(self) -> str:
        return Money.from_fen(self.total_fen).yuan_str()


def current_notice(batch):
    """The notice the sheets announce: the latest village notice, else the latest township notice (None
    before any is recorded: the sheet then leaves the dates to be filled in by hand)."""
    notices = list(batch.notices.filter(level__in=NOTICE_LEVELS).order_by("-recorded_at", "-pk")[:10])
    for level in ("village", "township"):
        for n in notices:
            if n.level == level:
                return n
    return None


def sheets(batch) -> list[Sheet]:
    """The active items per village (items without a village on a sheet of their own), in roster order."""
    out: dict[object, Sheet] = {}
    items = batch.items.filter(status="active").select_related("village").order_by("village__code", "seq")
    for it in items.iterator(chunk_size=5000):
        key = it.village_id
        sheet = out.get(key)
        if sheet is None:
            sheet = out[key] = Sheet(it.village.name if it.village else "（未填写村/社区）")
        sheet.rows.append({"seq": len(sheet.rows) + 1, "name": it.name, "id_masked": it.id_masked,
                           "standard": Money.from_fen(it.standard_fen).yuan_str() if it.standard_fen else "",
                           "amount": Money.from_fen(it.amount_fen).yuan_str()})
        sheet.total_fen += it.amount_fen
    return list(out.values())


def four_public(batch) -> dict | None:
    """The policy basis and standard the 四公开 sheet states (None where the profile does not ask for them)."""
    if not get_profile(batch.profile_code).notice_four_public:
        return None
    policy = batch.policy
    basis = [f"{b.title}（{b.number}）" for b in policy.basis_documents.all()]
    if policy.rate_fen is not None:
        standard = f"每{policy.get_unit_display()} {Money.from_fen(policy.rate_fen).yuan_str()} 元"
    else:
        standard = "；".join(f"{t.label} {Money.from_fen(t.rate_fen).yuan_str()} 元" for t in policy.tiers.all())
    if policy.standard_note:
        standard = f"{standard}（{policy.standard_note}）" if standard else policy.standard_note
    return {"basis": basis, "standard": standard or "（见政策文件）"}


def context(batch) -> dict:
    url = public_url(batch)
    return {"sheets": sheets(batch), "notice": current_notice(batch), "four_public": four_public(batch),
            "public_url": url, "qr_svg": qr_svg(url), "list_digest": published_digest(batch)}
