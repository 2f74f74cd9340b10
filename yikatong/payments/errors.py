from yikatong.core.refusals import Refusal


class PaymentError(Refusal):
    """A refused payment operation; `code` is stable, the message is Chinese and names the order or item."""

    default_code = "PAYMENT_REFUSED"


class IngestRefused(PaymentError):
    """A bank answer Yikatong refuses to take (unknown batch, item or amount; bad MAC or totals)."""

    default_code = "INGEST_REFUSED"
