"""Before payment: the items of a batch whose person's social-security card is not usable (未激活、冻结、
挂失、销户), from the register's card status (registry.card_status: 人社 snapshot and bank results).
Reads only; the caller got the batch from a scoped selector (scope through the parent)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yikatong.registry.card_status import inactive_cards
from yikatong.registry.models import Person

from .models import Batch

HEADERS = ["序号", "明细编号", "姓名", "身份证号码", "村(社区)", "开户银行", "发放账号", "社保卡状态", "信息来源", "状态日期"]


@dataclass(frozen=True)
class CardProblem:
    seq: int
    item_ref: str
    name: str
    masked_id: str
    village: str
    bank: str
    masked_account: str
    person_id: int
    status: str
    status_label: str
    source: str
    since: dt.date | None


def batch_card_problems(batch: Batch) -> list[CardProblem]:
    items = list(batch.items.filter(status="active", person__isnull=False).select_related("village").order_by("seq"))
    found = {p.pk: s for p, s in inactive_cards(Person.objects.filter(pk__in=[i.person_id for i in items]))}
    return [CardProblem(i.seq, i.item_ref, i.name, i.id_masked, i.village.name if i.village_id else "", i.bank_name,
                        i.account_masked, i.person_id, found[i.person_id].status, found[i.person_id].label,
                        found[i.person_id].source, found[i.person_id].since)
            for i in items if i.person_id in found]


def rows_for_export(problems: list[CardProblem]) -> list[tuple]:
    return [(n, p.item_ref, p.name, p.masked_id, p.village, p.bank, p.masked_account, p.status_label, p.source,
             p.since.isoformat() if p.since else "") for n, p in enumerate(problems, 1)]
