"""Issue 16 §7: `make run` leaves the demo county with a recovery in progress, reconciled into the ledger."""
import pytest
from django.core.management import call_command
from django.db.models import Sum

from yikatong.funds.models import FundMovement, MovementKind
from yikatong.supervision.models import Recovery

pytestmark = pytest.mark.django_db


def test_demo_has_a_recovery_in_progress(settings, tmp_path):
    settings.YKT_BANK_OUTBOX, settings.YKT_BANK_INBOX = tmp_path / "outbox", tmp_path / "inbox"
    call_command("demo", "--county", "650121", "--size", "300")
    r = Recovery.objects.get()
    assert r.state == "partly_repaid" and 0 < r.repaid_fen < r.amount_fen
    ledger = FundMovement.objects.filter(ref=r.fund_ref, kind=MovementKind.RECOVERY).aggregate(s=Sum("amount_fen"))["s"]
    assert ledger == r.repaid_fen
    call_command("demo", "--county", "650121", "--size", "300")
    assert Recovery.objects.count() == 1
