"""短信告知 on payment: queued in the outbox table when a result is ingested, delivered through a
backend (settings.YKT_SMS_BACKEND, dotted path; default: the outbox table itself), retried on failure."""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from yikatong.core.bulk import insert_rows
from yikatong.core.crypto import vault
from yikatong.core.money import Money
from yikatong.regions.models import Region

from .models import ItemStatus, PaymentOrderItem, SmsNotice, SmsState

MAX_ATTEMPTS = 5


class SmsBackend:
    """Interface: `send(phone, text)` delivers one message or raises."""

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class OutboxBackend(SmsBackend):
    """Default: nothing leaves the system; the outbox table shown in the UI is the record."""

    def send(self, phone: str, text: str) -> None:
        return None


def backend() -> SmsBackend:
    path = getattr(settings, "YKT_SMS_BACKEND", "")
    return import_string(path)() if path else OutboxBackend()


def notice_text(*, province: str, policy_name: str, amount_fen: int, day, account_last4: str) -> str:
    return (f"【{province}惠民惠农补贴】您的{policy_name}{Money(amount_fen).format()}已于{day:%Y年%m月%d日}"
            f"发放至尾号{account_last4}的账户，请注意查收。")


_QUEUE_CHUNK = 20_000
_NOTICE_COLUMNS = ("line_id", "phone_enc", "phone_masked", "text", "state", "attempts", "last_error", "created_at")


def queue_for_order(order) -> int:
    """Queue one notice per paid line of the order that has a phone number. Called in one
    transaction by the notices job, so an order has all its notices or none: a rerun adds nothing.
    Set-based: lines are read in chunks of plain values and the notices inserted by COPY /
    executemany, so a million-line order needs no model instances."""
    if SmsNotice.objects.filter(line__order=order).exists():
        return 0
    batch = order.batch
    code = batch.region_id[:2].ljust(12, "0")
    province = Region.objects.filter(code=code).values_list("name", flat=True).first() or ""
    policy_name, decrypt, now = batch.policy.name, vault().decrypt, timezone.now()
    days, texts = {}, {}

    def notice(row):
        _, pk, amount, paid_at, phone_enc, phone_masked, account_masked, account_enc = row
        day = days.get(paid_at)
        if day is None:
            day = days[paid_at] = timezone.localdate(paid_at) if paid_at else timezone.localdate()
        last4 = account_masked[-4:]
        if not last4.isdigit():  # the mask keeps the last four digits; decrypt only if it does not
            last4 = decrypt(account_enc)[-4:]
        key = (amount, day, last4)
        text = texts.get(key) if len(texts) < 100_000 else None
        if text is None:
            text = texts[key] = notice_text(province=province, policy_name=policy_name, amount_fen=amount, day=day,
                                              account_last4=last4)
        return (pk, phone_enc, phone_masked, text, "queued", 0, "", now)

    lines = (PaymentOrderItem.objects.filter(order=order, status=ItemStatus.PAID).exclude(batch_item__phone_enc="")
             .order_by("seq").values_list("seq", "pk", "amount_fen", "paid_at", "batch_item__phone_enc",
                                          "batch_item__phone_masked", "batch_item__account_masked",
                                          "batch_item__account_enc"))
    queued, last = 0, 0
    while chunk := list(lines.filter(seq__gt=last)[:_QUEUE_CHUNK]):
        last = chunk[-1][0]
        queued += insert_rows(SmsNotice, _NOTICE_COLUMNS, map(notice, chunk))
    return queued


def sms_deliver(*, sender: SmsBackend | None = None, limit: int = 500) -> tuple[int, int]:
    """Send queued and failed notices (up to MAX_ATTEMPTS each). Returns (sent, failed). Safe to rerun."""
    sender = sender or backend()
    sent = failed = 0
    ids = list(SmsNotice.objects.filter(state__in=[SmsState.QUEUED, SmsState.FAILED]).order_by("pk")
               .values_list("pk", flat=True)[:limit])
    for pk in ids:
        with transaction.atomic():
            notice = SmsNotice.objects.select_for_update().filter(
                pk=pk, state__in=[SmsState.QUEUED, SmsState.FAILED]).first()
            if notice is None:
                continue
            notice.attempts += 1
            try:
                sender.send(vault().decrypt(notice.phone_enc), notice.text)
            except Exception as exc:  # any backend failure is retried later
                notice.state = SmsState.GAVE_UP if notice.attempts >= MAX_ATTEMPTS else SmsState.FAILED
                notice.last_error = str(exc)[:200]
                failed += 1
            else:
                notice.state, notice.sent_at, notice.last_error = SmsState.SENT, timezone.now(), ""
                sent += 1
            notice.save(update_fields=["state", "attempts", "last_error", "sent_at"])
    return sent, failed
