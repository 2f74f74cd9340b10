"""短信告知 on payment: queued in the outbox table when a result is ingested, delivered through a
backend (settings.YKT_SMS_BACKEND, dotted path; default: the outbox table itself), retried on failure."""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from yikatong.core.money import Money
from yikatong.regions.models import Region
from yikatong.registry.pii import vault

from .models import SmsNotice, SmsState

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


def queue_for_paid(lines) -> int:
    """Queue one notice per paid line that has a phone number (inside the ingest transaction)."""
    v = vault()
    notices = []
    province_names: dict[str, str] = {}
    for line in lines:
        item = line.batch_item
        if not item.phone_enc:
            continue
        code = item.batch.region_id[:2].ljust(12, "0")
        if code not in province_names:
            province_names[code] = Region.objects.filter(code=code).values_list("name", flat=True).first() or ""
        account = v.decrypt(item.account_enc)
        day = timezone.localdate(line.paid_at) if line.paid_at else timezone.localdate()
        notices.append(SmsNotice(line=line, phone_enc=item.phone_enc, phone_masked=item.phone_masked,
                                 text=notice_text(province=province_names[code], policy_name=item.batch.policy.name,
                                                  amount_fen=line.amount_fen, day=day, account_last4=account[-4:])))
    SmsNotice.objects.bulk_create(notices)
    return len(notices)


def deliver_pending(*, sender: SmsBackend | None = None, limit: int = 500) -> tuple[int, int]:
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
