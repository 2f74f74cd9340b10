"""Builders for the tests of the file exchange (payments and the bank simulator): sample files, and valid-MAC tampering."""
import datetime

from yikatong.payments.exchange.mac import compute_mac, preferred_alg
from yikatong.payments.exchange.paymentfile import PaymentLine, write_payment_file

KEY = b"0123456789abcdef0123456789abcdef"
DAY = datetime.date(2026, 3, 2)
HEADER = dict(
    bank_code="ABC01", batch_no="141024-2026-000001", business_date=DAY, payer_account="6217000010001234",
    payer_name="洪洞县财政局", policy_code="HT-001", policy_name="耕地补贴",
)


def line(n: int = 1, **over) -> PaymentLine:
    fields = dict(item_ref=f"ITEM-{n}", account_no=f"62284800123456{n:05d}", account_name="张三", id_type="01",
                  id_no="11010519491231002X", amount_fen=100 * n, memo="")
    fields.update(over)
    return PaymentLine(**fields)


def payment_file(lines=None, **over) -> tuple[str, bytes]:
    args = {**HEADER, "lines": lines if lines is not None else [line(i) for i in range(1, 4)], "key": KEY,
            "alg": preferred_alg(), **over}
    return write_payment_file(**args)


def reseal(data: bytes, mutate, key: bytes = KEY) -> bytes:
    """Apply `mutate` to the text before the T line and recompute a valid MAC (and keep T's totals)."""
    cut = data.rindex(b"\r\nT|") + 2
    body, trailer = data[:cut], data[cut:-2].decode("ascii").split("|")
    body = mutate(body)
    trailer[-1] = compute_mac(key, body, trailer[-2])
    return body + "|".join(trailer).encode("ascii") + b"\r\n"


def retrail(data: bytes, **fields) -> bytes:
    """Rewrite fields of the T line by position name (count/total or ok_count/...), keeping a valid MAC."""
    cut = data.rindex(b"\r\nT|") + 2
    body, trailer = data[:cut], data[cut:-2].decode("ascii").split("|")
    names = ["T", "count", "total"] if len(trailer) == 5 else ["T", "ok_count", "ok_fen", "fail_count", "fail_fen"]
    for name, value in fields.items():
        trailer[names.index(name)] = str(value)
    return body + "|".join(trailer).encode("ascii") + b"\r\n"
