"""Random ledgers for the report tests: batches of the county in the period and outside it, in random
states, with items (some removed, some of register persons with a current card), payment lines
(paid/failed/pending), fund returns, findings, notices and complaints — written directly (test data)."""
from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from tests.support import factories
from yikatong.core.crypto import vault
from yikatong.registry.models import Person
from yikatong.checks.models import Finding, FindingState, Rule
from yikatong.disclosure.models import Complaint
from yikatong.payments.models import FundReturn, PaymentOrder, PaymentOrderItem
from yikatong.rosters.models import Batch, BatchItem, Notice
from yikatong.rosters.tests.files import card, id_number

from .. import figures

STATES = ("draft", "dept_review", "approved", "paying", "paid", "partly_failed", "closed")
PERIODS = ("2026-11", "2026-10", "2026Q4", "2026")


def _rule() -> Rule:
    rule = Rule.objects.order_by("pk").first()
    return rule or Rule.objects.create(code="T_RULE", name="测试规则", severity="warn", sql="select 1",
                                       key_columns=["item_id"], message="疑点")


def random_ledger(rng: random.Random, rw, regions, *, agreement, n_batches: int = 4) -> None:
    towns = [regions["town1"], regions["town2"]]
    villages = [regions["village1"]]
    rule, now, seq = _rule(), timezone.now(), rng.randrange(10**6)
    for b in range(n_batches):
        seq += 1
        batch = Batch.objects.create(
            code=f"T{seq}", policy=rw.policy, period=rng.choice(PERIODS), region=rng.choice(towns),
            department=rw.orgs["mz"], profile_code="000", state=rng.choice(STATES), state_since=now,
            created_by=rw.users["zhan"])
        items = []
        for i in range(rng.randrange(0, 7)):
            k = (seq * 7 + i) % 900
            item = factories.add_item(batch, i + 1, f"人{k}", id_number(k), card(k), amount_fen=rng.randrange(1, 90000))
            updates = {"household_no": rng.choice(["", "H1", "H2", "H3"]),
                       "status": "removed" if rng.random() < 0.15 else "active"}
            if rng.random() < 0.5:
                person = Person.objects.filter(id_bidx=vault().id_index(id_number(k))).first() or factories.person(villages[0], id_number(k), f"人{k}", account=card(k) if rng.random() < 0.8
                                          else None, account_status=rng.choice(["active", "unactivated"]))
                updates["person"] = person
            BatchItem.objects.filter(pk=item.pk).update(**updates)
            items.append(item)
        live = [it for it in items if rng.random() < 0.8]
        if live and rng.random() < 0.7:
            state = rng.choice(["sent", "answered", "rejected"])
            order = PaymentOrder.objects.create(batch=batch, agreement=agreement, batch_no=f"O{seq}", state=state,
                                                item_count=len(live), total_fen=sum(it.amount_fen for it in live),
                                                created_by=rw.users["fin"])
            for n, it in enumerate(live, 1):
                PaymentOrderItem.objects.create(order=order, seq=n, batch_item=it, origin=it, item_ref=it.item_ref,
                                                amount_fen=it.amount_fen,
                                                status=rng.choice(["paid", "paid", "failed", "pending"]))
            if rng.random() < 0.5:
                FundReturn.objects.create(order=order, amount_fen=rng.randrange(1, 5000), returned_on=dt.date(2026, 11, 20),
                                          line_count=1, receipt_name="r.pdf", receipt_type="application/pdf",
                                          receipt_size=1, receipt_sha256="0" * 64, receipt_enc=b"x",
                                          recorded_by=rw.users["fin"])
        for it in items:
            if rng.random() < 0.3:
                Finding.objects.create(rule=rule, fingerprint=f"f{it.pk}", batch=batch, item=it, severity="warn",
                                       message="疑点", state=rng.choice(FindingState.values), first_seen_at=now,
                                       last_seen_at=now)
        for _ in range(rng.randrange(0, 3)):
            Notice.objects.create(batch=batch, level="village", start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 9),
                                  place="村公示栏", working_days=rng.randrange(1, 8), recorded_by=rw.users["zhan"])
    for c in range(rng.randrange(0, 5)):
        seq += 1
        filed = timezone.make_aware(dt.datetime(2026, rng.choice([10, 11, 11, 12]), rng.randrange(1, 28), 9))
        answered = filed + dt.timedelta(hours=rng.randrange(1, 400)) if rng.random() < 0.6 else None
        Complaint.objects.create(tracking_no=f"C{seq}", code_hash="0" * 64, kind="complaint", policy=rw.policy,
                                 region=regions["village1"], township=rng.choice([regions["town1"], None]), text="t",
                                 state="answered" if answered else "received", filed_at=filed,
                                 due_on=(filed + dt.timedelta(days=10)).date(), answered_at=answered)


def expected(region, year: int, month: int, notice_min: int | None) -> dict:
    """The totals of the period computed the slow way, one row at a time in Python (the test's oracle)."""
    keys = figures.period_keys(year, month)
    batches = {b.pk: b for b in Batch.objects.filter(region__code__startswith=region.prefix, period__in=keys)}
    t = {k: 0 for k in figures.KEYS}
    per_group: dict[tuple, set] = {}
    per_house: dict[tuple, set] = {}
    for it in BatchItem.objects.filter(batch_id__in=batches, status="active").select_related("person"):
        b = batches[it.batch_id]
        g = (b.policy_id, b.region_id)
        per_group.setdefault(g, set()).add(it.id_bidx)
        if it.household_no:
            per_house.setdefault(g, set()).add(it.household_no)
        t["items"] += 1
        t["planned_fen"] += it.amount_fen
        t["approved_fen"] += it.amount_fen if b.state in figures.APPROVED_STATES else 0
        if it.person_id:
            for acc in it.person.accounts.filter(is_current=True):
                t["cards"] += 1
                t["cards_active"] += acc.status == "active"
    t["persons"] = sum(len(s) for s in per_group.values())
    t["households"] = sum(len(s) for s in per_house.values())
    for line in PaymentOrderItem.objects.filter(order__batch_id__in=batches).select_related("order"):
        if line.order.state == "rejected":
            continue
        if line.status in ("paid", "failed"):
            t[f"{line.status}_count"] += 1
            t[f"{line.status}_fen"] += line.amount_fen
    t["returned_fen"] = sum(r.amount_fen for r in FundReturn.objects.filter(order__batch_id__in=batches))
    for f in Finding.objects.filter(batch_id__in=batches):
        t["findings_raised"] += 1
        t["findings_confirmed"] += f.state in figures.CONFIRMED
        t["findings_cleared"] += f.state in figures.CLEARED
    for n in Notice.objects.filter(batch_id__in=batches):
        t["notices"] += 1
        t["notices_on_time"] += notice_min is None or n.working_days >= notice_min
    start, end = figures.month_bounds(year, month)
    hours = 0.0
    for c in Complaint.objects.filter(region__code__startswith=region.prefix):
        if not start <= c.filed_at < end:
            continue
        t["complaints"] += 1
        if c.answered_at:
            t["complaints_answered"] += 1
            t["complaints_on_time"] += timezone.localtime(c.answered_at).date() <= c.due_on
            hours += (c.answered_at - c.filed_at).total_seconds() / 3600
    t["handling_hours"] = hours
    return t
