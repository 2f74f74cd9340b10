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
    "STANDARD_ABOVE_CATALOGUE": "清册标准 {roster} 高于政策目录标准 {catalogue}（共 {rows} 行），不能确认导入："
                                "高于目录标准发放须先按程序调整补贴政策清单，或按目录标准改正清册后重新导入",
})


def above_catalogue(mismatch: dict) -> bool:
    """A roster standard above the catalogue's rate cannot be confirmed at import: paying more than the
    published standard needs a change of the catalogue (its own approval chain), and would otherwise
    raise one blocking AMOUNT_STANDARD finding per row at the cross-check."""
    return any(int(fen) > mismatch["catalogue_fen"] for fen in mismatch["roster_fen"])


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


IMPLIED_MIN_ROWS = 2  # rows whose amounts all work out at one other rate: a standard, not a typo


def standard_mismatch(policy, drafts) -> dict | None:
    """When rows state a 标准 other than the catalogue's rate, or (stating none) at least IMPLIED_MIN_ROWS
    rows' amounts work out at one same other rate: {"catalogue_fen", "roster_fen": {fen: rows}, "rows",
    "implied_lines" (rows whose rate is implied), "params"} (params format the STANDARD_* messages,
    amounts in 元), else None."""
    if policy.is_tiered or policy.rate_fen is None:
        return None
    stated = Counter(d.roster_standard_fen for d in drafts
                     if d.roster_standard_fen is not None and d.roster_standard_fen != policy.rate_fen)
    implied_all = Counter(d.implied_standard_fen for d in drafts
                          if d.implied_standard_fen is not None and d.implied_standard_fen != policy.rate_fen)
    implied = Counter({fen: n for fen, n in implied_all.items() if n >= IMPLIED_MIN_ROWS})
    if not stated and not implied:
        return None
    several = len(stated) + len(implied) > 1
    shown = [(_per_unit(policy, fen) + (f"（{n} 行）" if several else ""), n) for fen, n in stated.items()]
    shown += [(_per_unit(policy, fen) + f"（{n} 行，按发放金额÷数量折算）", n) for fen, n in implied.items()]
    shown.sort(key=lambda pair: -pair[1])
    texts = [t for t, _ in shown[:5]] + ([f"等 {len(shown)} 种"] if len(shown) > 5 else [])
    rows = sum(stated.values()) + sum(implied.values())
    params = {"roster": "、".join(texts), "catalogue": _per_unit(policy, policy.rate_fen), "rows": rows}
    lines = {d.line for d in drafts if d.implied_standard_fen in implied}
    return {"catalogue_fen": policy.rate_fen, "roster_fen": {str(k): v for k, v in (stated + implied).items()},
            "rows": rows, "implied_lines": lines, "params": params}


def mismatch_message(code: str, mismatch: dict) -> str:
    return message_for(code, **mismatch["params"])
