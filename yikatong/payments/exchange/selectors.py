"""Reads of the file exchange.

`agreement_for` is a system lookup (no actor): background work (the bank simulator, result
ingestion) uses it to find the key of a bank file. Scoped reads for screens come with the
payment-order pages.
"""
from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from ..models import BankAgreement


def agreements_on(bank_code: str, day: datetime.date) -> QuerySet[BankAgreement]:
    """Agreements of an active bank in force on `day`."""
    return BankAgreement.objects.select_related("bank").filter(
        bank__code=bank_code, bank__is_active=True, valid_from__lte=day
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def agreement_for(*, bank_code: str, payer_account: str, day: datetime.date) -> BankAgreement | None:
    """The agreement of this bank and payer account in force on `day` (accounts are compared decrypted)."""
    matches = [a for a in agreements_on(bank_code, day) if a.payer_account == payer_account]
    return matches[0] if len(matches) == 1 else None
