"""What a bank's answer says about cards (社保卡状态), handed to the register after the answer commits:
a failed line whose reason names the card's state (E03 closed, E04 frozen, E05 not activated —
registry.choices.BANK_CODE_STATUS) sets the person's current account to that state; a paid line sets an
unusable one active again (registry.services.card_status_from_bank: history rows, one audit event)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yikatong.registry.card_status import inactive_candidates
from yikatong.registry.choices import BANK_CODE_STATUS
from yikatong.registry.models import Person
from yikatong.registry.services import card_status_from_bank

from .models import ItemStatus, PaymentOrder, PaymentOrderItem


def order_card_results(*, actor, order_id: int) -> dict:
    """Apply one answered order's card results to the register."""
    order = PaymentOrder.objects.get(pk=order_id)
    lines = PaymentOrderItem.objects.filter(order_id=order_id, batch_item__person_id__isnull=False)
    failures = [(pid, bidx, BANK_CODE_STATUS[code]) for pid, bidx, code in lines.filter(
        status=ItemStatus.FAILED, reason_code__in=list(BANK_CODE_STATUS)).values_list(
        "batch_item__person_id", "batch_item__account_bidx", "reason_code")]
    # only the paid persons whose card may be unusable (a few): a million paid lines stay in the database
    maybe = inactive_candidates(Person.objects.all()).values("pk")
    paid = lines.filter(status=ItemStatus.PAID, batch_item__person_id__in=maybe).values_list(
        "batch_item__person_id", "batch_item__account_bidx")
    day = timezone.localdate(order.answered_at) if order.answered_at else timezone.localdate()
    with transaction.atomic():
        return card_status_from_bank(actor=actor, source=f"银行回盘（批次号 {order.batch_no}）", effective=day,
                                     failures=failures, paid=paid.iterator(chunk_size=20_000))
