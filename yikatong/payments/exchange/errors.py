"""Errors of the bank file exchange. Messages are Chinese, name the line and field, never echo personal data."""

__all__ = ["ExchangeFileError", "PaymentFileError", "ResultFileError", "PaymentDataError"]


class PaymentDataError(ValueError):
    """Data that must not be written into a payment or result file (names the item and field)."""


class ExchangeFileError(ValueError):
    """A received file that is not a valid YKT1 file.

    `code` uses the contract's rejection vocabulary: F01 totals, F02 MAC, F04 malformed,
    F05 business date (F03 duplicate batch is decided by whoever remembers batches).
    `line_no` is the 1-based physical line of the file, when one line is to blame.
    `reason`, when set, is the stable refusal code Yikatong reports for it.
    """

    def __init__(self, code: str, message: str, *, line_no: int | None = None, reason: str | None = None):
        super().__init__(message)
        self.code = code
        self.reason = reason  # a finer Yikatong refusal code where one applies (e.g. MAC_ALGORITHM_MISMATCH)
        self.message = message
        self.line_no = line_no

    def __str__(self) -> str:
        return f"{self.code} {self.message}"


class PaymentFileError(ExchangeFileError):
    """A payment file (P) a bank would reject with `code`."""


class ResultFileError(ExchangeFileError):
    """A result (R) or rejection (X) file Yikatong refuses to trust."""
