class PaymentError(Exception):
    """A refused payment operation; the message is Chinese and names the order or item."""


class IngestRefused(PaymentError):
    """A bank answer Yikatong refuses to take (unknown batch, item or amount; bad MAC or totals)."""
