"""How the simulated bank should behave on this run: which items fail with which code, or reject the file."""
from __future__ import annotations

from dataclasses import dataclass, field

from yikatong.payments.exchange.codes import REASON_CODES, REJECTION_CODES

# Codes drawn for the random fraction: every reason but E08, which means "duplicate" and is
# only given to real duplicates (or when asked for explicitly).
RANDOM_CODES = tuple(code for code in REASON_CODES if code != "E08")


@dataclass(frozen=True)
class SimOptions:
    fail_rate: float = 0.0  # a probability, not money
    fail_seq: dict[int, str] = field(default_factory=dict)  # seq -> reason code
    fail_ref: dict[str, str] = field(default_factory=dict)  # item_ref -> reason code
    reject: str | None = None  # F01..F05: reject every file with this code
    seed: int = 0

    def __post_init__(self):
        if not 0.0 <= self.fail_rate <= 1.0:
            raise ValueError(f"失败比例应在 0 到 1 之间，收到 {self.fail_rate}")
        for code in (*self.fail_seq.values(), *self.fail_ref.values()):
            if code not in REASON_CODES:
                raise ValueError(f"未知的失败原因代码“{code}”（可选 {'、'.join(REASON_CODES)}）")
        if self.reject is not None and self.reject not in REJECTION_CODES:
            raise ValueError(f"未知的拒收代码“{self.reject}”（可选 {'、'.join(REJECTION_CODES)}）")


def parse_pairs(values: list[str] | None, *, as_int: bool) -> dict:
    """["3:E01", "7:E05"] -> {3: "E01", 7: "E05"} (keys as int for sequence numbers)."""
    pairs = {}
    for value in values or []:
        key, sep, code = value.rpartition(":")
        if not sep or not key:
            raise ValueError(f"“{value}”格式应为 序号:代码 或 明细编号:代码，如 3:E01")
        if as_int:
            if not key.isdigit() or int(key) < 1:
                raise ValueError(f"“{value}”中的序号应为正整数")
            key = int(key)
        pairs[key] = code.upper()
    return pairs
