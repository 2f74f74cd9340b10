"""Cards likely held by others (一卡多人/代领, issue 16 §5b): bank accounts that received paid lines for
several different persons in a year, from the payment data (payments.PaymentOrderItem answered paid by
the bank), grouped by the keyed blind index of the account number (rosters.BatchItem.account_bidx).

Only the account's last 4 digits and masked ID numbers are shown; the drill-down is addressed by a
roster item carrying the account (never the account or its index in a URL). Unit payees (is_org) are
left out: a unit's public account legitimately pays many. The other half of §5b, long-unwithdrawn
balances, needs a balance or last-withdrawal field in the bank's feedback; specs/bank-exchange.md has
none (answer lines carry status, reason code, transaction id and time only), so it is not built.
Scope: rosters.scope over the lines' batches, for the READERS roles."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Min, QuerySet, Sum

from yikatong.accounts.roles import Role
from yikatong.core.refusals import Forbidden
from yikatong.payments.models import PaymentOrderItem
from yikatong.rosters import scope
from yikatong.rosters.models import BatchItem

from .errors import ReportRefusal

READERS = frozenset({Role.FINANCE_REVIEWER, Role.TOWNSHIP_FINANCE, Role.SUPERVISOR})
MIN_RECIPIENTS = 3  # default threshold: an account paying three or more different persons in a year
_B = "batch_item__batch__"


def last4(masked: str) -> str:
    return "".join(c for c in (masked or "") if c.isdigit())[-4:]


def _check(actor, year: str) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*READERS):
        raise Forbidden("SHARED_ACCOUNT_ROLE")
    year = (year or "").strip()
    if len(year) != 4 or not year.isdigit():
        raise ReportRefusal("WATCH_YEAR_INVALID", year=year)
    return year


def _paid_lines(actor, year: str) -> QuerySet:
    lines = (PaymentOrderItem.objects.filter(status="paid", batch_item__is_org=False,
                                             **{f"{_B}period__startswith": year})
             .exclude(order__state="rejected"))
    return scope.scoped(lines, actor, _B, roles=READERS)


@dataclass(frozen=True)
class SharedAccounts:
    year: str
    min_recipients: int
    rows: QuerySet  # values(): account_bidx, recipients, households, lines, total_fen, masked, bank, item_id


def shared_accounts(actor, *, year: str, min_recipients: int = MIN_RECIPIENTS) -> SharedAccounts:
    """Accounts paid for at least `min_recipients` (>= 2) different persons in `year`, most recipients first."""
    year = _check(actor, year)
    try:
        threshold = int(min_recipients)
    except (TypeError, ValueError):
        threshold = 0
    if threshold < 2:
        raise ReportRefusal("SHARED_ACCOUNT_THRESHOLD", value=min_recipients)
    rows = (_paid_lines(actor, year).values("batch_item__account_bidx")
            .annotate(recipients=Count("batch_item__id_bidx", distinct=True),
                      households=Count("batch_item__household_no", distinct=True),
                      lines=Count("pk"), total_fen=Sum("amount_fen"),
                      masked=Max("batch_item__account_masked"), bank=Max("batch_item__bank_name"),
                      item_id=Min("batch_item_id"))
            .filter(recipients__gte=threshold)
            .order_by("-recipients", "-total_fen", "batch_item__account_bidx"))
    return SharedAccounts(year, threshold, rows)


LINE_FIELDS = ("pk", "amount_fen", "paid_at", "batch_item__name", "batch_item__id_masked", "batch_item__household_no",
               "batch_item__account_holder", "batch_item__village__name", "batch_item__batch__code",
               "batch_item__batch__period", "batch_item__batch__policy__name", "batch_item__batch__region__name")


def account_lines(actor, *, year: str, item_id) -> tuple[str, QuerySet]:
    """(last 4 digits, the paid lines of `year` in scope) of the account of roster item `item_id`."""
    year = _check(actor, year)
    item = scope.scoped(BatchItem.objects.filter(pk=item_id if str(item_id).isdigit() else 0), actor, "batch__",
                        roles=READERS).values("account_bidx", "account_masked").first()
    if item is None:
        raise ReportRefusal("SHARED_ACCOUNT_UNKNOWN")
    lines = (_paid_lines(actor, year).filter(batch_item__account_bidx=item["account_bidx"])
             .order_by("batch_item__batch__period", "batch_item__name", "pk").values(*LINE_FIELDS))
    return last4(item["account_masked"]), lines


HEADERS = ("账号后四位", "开户银行", "领取人数", "户数", "笔数", "金额(元)")
LINE_HEADERS = ("账号后四位", "补贴项目", "期间", "乡镇", "村(社区)", "姓名", "证件号码(脱敏)", "户号", "账户户名",
                "金额(元)", "批次")


def yuan(fen) -> str:
    fen = int(fen or 0)
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def export_rows(result: SharedAccounts):
    for r in result.rows:
        yield (last4(r["masked"]), r["bank"] or "", r["recipients"], r["households"], r["lines"], yuan(r["total_fen"]))


def export_line_rows(tail: str, lines):
    for r in lines:
        yield (tail, r["batch_item__batch__policy__name"], r["batch_item__batch__period"],
               r["batch_item__batch__region__name"], r["batch_item__village__name"] or "", r["batch_item__name"],
               r["batch_item__id_masked"], r["batch_item__household_no"], r["batch_item__account_holder"],
               yuan(r["amount_fen"]), r["batch_item__batch__code"])
