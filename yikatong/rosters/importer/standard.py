"""The policy standard a roster row is checked against, and the one batch-level message when the
roster's 标准 differs from the catalogue's (instead of one finding per row)."""
from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError

from yikatong.core.money import Money
from yikatong.core.refusals import message_for, register_messages
from yikatong.policies.standard import standard_amount_fen

register_messages({
    "STANDARD_MISMATCH": "清册标准 {roster} 与政策目录标准 {catalogue} 不一致（共 {rows} 行）。"
                         "请按政策目录标准改正清册后重新导入；如确需按清册标准发放，请勾选“确认按清册标准导入”",
    "STANDARD_CONFIRMED": "已确认按清册标准导入：清册标准 {roster} 与政策目录标准 {catalogue} 不一致（共 {rows} 行）",
})


def standard_function(policy):
    """(quantity) -> standard amount in fen, or None where it depends on a per-person tier."""
    def standard(quantity: Decimal) -> int | None:
        if policy.is_tiered:
            return None
        try:
            return standard_amount_fen(policy, quantity=quantity)
        except (ValidationError, TypeError):
            return None

    return standard


def yuan(fen: int) -> str:
    """An amount for people: "1,500.00 元"."""
    return f"{Money.from_fen(fen).format().replace('¥', '')} 元"


def _per_unit(policy, fen: int) -> str:
    return f"{yuan(fen)}/{policy.get_unit_display()}"


def standard_mismatch(policy, drafts) -> dict | None:
    """When rows state a 标准 other than the catalogue's rate: {"catalogue_fen", "roster_fen": {fen: rows},
    "rows", "params"} (params format the STANDARD_* messages, amounts in 元), else None."""
    if policy.is_tiered or policy.rate_fen is None:
        return None
    found = Counter(d.roster_standard_fen for d in drafts
                    if d.roster_standard_fen is not None and d.roster_standard_fen != policy.rate_fen)
    if not found:
        return None
    shown = [f"{_per_unit(policy, fen)}" + (f"（{n} 行）" if len(found) > 1 else "") for fen, n in found.most_common(5)]
    if len(found) > 5:
        shown.append(f"等 {len(found)} 种")
    rows = sum(found.values())
    params = {"roster": "、".join(shown), "catalogue": _per_unit(policy, policy.rate_fen), "rows": rows}
    return {"catalogue_fen": policy.rate_fen, "roster_fen": {str(k): v for k, v in found.items()}, "rows": rows,
            "params": params}


def mismatch_message(code: str, mismatch: dict) -> str:
    return message_for(code, **mismatch["params"])
