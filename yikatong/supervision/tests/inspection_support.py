"""A paid roster of 30 items in town1 (2026-11) and an earlier paid month (2026-10) for 20 of the same people,
for the inspection tests."""
import pytest

from tests.support.factories import add_item, clone_batch
from yikatong.rosters.tests.files import card, id_number


def paid_copy(batch, regions, suffix: str, period: str, people: range, amount=lambda seq: 50000, profile=None):
    b = clone_batch(batch, regions["town1"], suffix, period=period)
    for seq in people:
        add_item(b, seq, f"对象{seq}", id_number(seq), card(seq), amount_fen=amount(seq))
    b.__class__.objects.filter(pk=b.pk).update(state="paid", profile_code=profile or b.profile_code)
    b.refresh_from_db()
    return b


@pytest.fixture
def paid(rw, batch, regions):
    earlier = paid_copy(batch, regions, "OCT", "2026-10", range(1, 21))
    # person 3 gets three times last month's amount: an amount jump
    now = paid_copy(batch, regions, "NOV", "2026-11", range(1, 31), amount=lambda s: 150000 if s == 3 else 50000)
    return {"earlier": earlier, "batch": now, "items": list(now.items.order_by("pk"))}
