"""A synthetic, deterministic population: realistic names, valid ID and card numbers.

Used by the demo, the tests and the benchmark. Nothing here is real personal data: ID numbers
carry the county's 6-digit code, plausible birth dates and a GB 11643 check digit; card
numbers start with real bank BINs and end with a Luhn digit.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from stdnum import luhn

from .register_format import TEMPLATE_HEADERS

# Surnames with their approximate share of the population (per mille), most frequent first.
SURNAMES = (
    ("王", 71), ("李", 70), ("张", 68), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 21), ("赵", 20), ("吴", 18),
    ("周", 17), ("徐", 13), ("孙", 13), ("马", 12), ("朱", 11), ("胡", 11), ("郭", 11), ("何", 10), ("高", 10),
    ("林", 10), ("罗", 9), ("郑", 9), ("梁", 8), ("谢", 7), ("宋", 6), ("唐", 6), ("许", 6), ("韩", 6), ("冯", 5),
    ("邓", 5), ("曹", 5), ("彭", 5), ("曾", 5), ("肖", 5), ("田", 5), ("董", 5), ("袁", 4), ("潘", 4), ("于", 4),
    ("蒋", 4), ("蔡", 4), ("余", 4), ("杜", 4), ("叶", 4), ("程", 4), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 4),
    ("任", 4), ("沈", 3), ("姚", 3), ("卢", 3), ("姜", 3), ("崔", 3), ("钟", 3), ("谭", 3), ("陆", 3), ("汪", 3),
    ("范", 3), ("金", 3), ("石", 3), ("廖", 3), ("贾", 3), ("夏", 3), ("韦", 3), ("付", 3), ("方", 3), ("白", 3),
    ("邹", 3), ("孟", 3), ("熊", 3), ("秦", 3), ("邱", 3), ("江", 3), ("尹", 3), ("薛", 3), ("闫", 3), ("段", 3),
    ("雷", 3), ("侯", 2), ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2), ("顾", 2), ("毛", 2), ("郝", 2),
    ("欧阳", 1), ("司马", 1), ("上官", 1),
)
MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆亮建国志红春林海东文晨博峰成德福"
FEMALE = "芳娜敏静丽艳娟霞秀英玲桂兰萍燕红梅琳雪婷慧莹洁颖倩琴云凤珍霞玉佳欣怡悦蓉"
# (BIN, bank, weight): social security cards of the agent banks most counties use.
BANKS = (
    ("621799", "农村信用合作联社", 40), ("622848", "中国农业银行", 25), ("621098", "中国邮政储蓄银行", 15),
    ("621700", "中国建设银行", 10), ("622202", "中国工商银行", 10),
)
_WEIGHTS_11643 = [pow(2, 17 - i, 11) for i in range(17)]


def id_number(county: str, birth: dt.date, seq: int, male: bool) -> str:
    """A valid 18-digit resident ID (GB 11643): county code, birth date, sequence, check digit."""
    seq = (seq % 500) * 2 + (1 if male else 0)
    body = f"{county}{birth:%Y%m%d}{seq:03d}"
    check = (12 - sum(int(c) * w for c, w in zip(body, _WEIGHTS_11643)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


def card_number(rng: random.Random, bin_: str, length: int = 19) -> str:
    body = bin_ + "".join(str(rng.randrange(10)) for _ in range(length - len(bin_) - 1))
    return body + luhn.calc_check_digit(body)


@dataclass
class Member:
    name: str
    id_number: str
    sex: str
    birth: dt.date
    relation: str
    household: str
    village: str  # 12-digit code
    phone: str
    bank: str
    card: str
    status: str = "正常"
    status_date: dt.date | None = None
    card_status: str = "正常"


class Population:
    """Households of 3-5 members spread over the given villages; deterministic for a seed."""

    def __init__(self, county: str, villages: Sequence[str], *, seed: int = 20261124, today: dt.date | None = None):
        self.county, self.villages = county, list(villages)
        self.rng = random.Random(seed)
        self.today = today or dt.date(2026, 11, 1)
        self._surnames = [s for s, _ in SURNAMES]
        self._sweights = [w for _, w in SURNAMES]
        self._bins = [(b, n) for b, n, _ in BANKS]
        self._bweights = [w for *_, w in BANKS]
        self._used: set[str] = set()
        self._phones: list[str] = []

    def _name(self, surname: str, male: bool) -> str:
        pool = MALE if male else FEMALE
        given = self.rng.choice(pool) + (self.rng.choice(pool) if self.rng.random() < 0.7 else "")
        return surname + given

    def _birth(self, age: int) -> dt.date:
        return self.today - dt.timedelta(days=age * 365 + self.rng.randrange(365))

    def _id(self, birth: dt.date, male: bool) -> str:
        while True:
            number = id_number(self.county, birth, self.rng.randrange(500), male)
            if number not in self._used:
                self._used.add(number)
                return number

    def _phone(self) -> str:
        if self._phones and self.rng.random() < 0.01:  # a few phones shared between households
            return self.rng.choice(self._phones)
        phone = "1" + self.rng.choice("3578") + "".join(str(self.rng.randrange(10)) for _ in range(9))
        self._phones.append(phone)
        return phone

    def households(self, people: int) -> Iterator[list[Member]]:
        """Yield households until `people` members were made."""
        made, counters = 0, {}
        while made < people:
            village = self.villages[self.rng.randrange(len(self.villages))]
            counters[village] = counters.get(village, 0) + 1
            household = f"{village[6:]}{counters[village]:04d}"
            size = min(self.rng.choice((3, 3, 4, 4, 4, 5, 5)), people - made)
            members = self._household(village, household, size)
            made += len(members)
            yield members

    def _household(self, village: str, household: str, size: int) -> list[Member]:
        rng = self.rng
        surname = rng.choices(self._surnames, self._sweights)[0]
        head_age = rng.randrange(28, 78)
        head_male = rng.random() < 0.85
        specs = [("户主", head_age, head_male, surname)]
        if size > 1:
            spouse_surname = rng.choices(self._surnames, self._sweights)[0]
            specs.append(("配偶", max(20, head_age + rng.randrange(-5, 4)), not head_male, spouse_surname))
        while len(specs) < size:
            if head_age < 58 and rng.random() < 0.25 and not any(s[0] in ("父亲", "母亲") for s in specs):
                male = rng.random() < 0.5
                specs.append(("父亲" if male else "母亲", head_age + rng.randrange(22, 32), male, surname if male else rng.choices(self._surnames, self._sweights)[0]))
            else:
                male = rng.random() < 0.5
                specs.append(("子" if male else "女", max(0, head_age - rng.randrange(22, 36)), male, surname))
        phone = self._phone()
        members = []
        for relation, age, male, sname in specs:
            birth = self._birth(min(age, 99))
            bin_, bank = rng.choices(self._bins, self._bweights)[0]
            members.append(Member(
                name=self._name(sname, male), id_number=self._id(birth, male), sex="男" if male else "女",
                birth=birth, relation=relation, household=household, village=village,
                phone=phone if relation == "户主" else (self._phone() if age >= 18 and rng.random() < 0.5 else ""),
                bank=bank, card=card_number(rng, bin_),
            ))
        for m in members:
            roll = rng.random()
            if roll < 0.01:
                m.status, m.status_date = "死亡", self.today - dt.timedelta(days=rng.randrange(30, 1000))
            elif roll < 0.02:
                m.status, m.status_date = "迁出", self.today - dt.timedelta(days=rng.randrange(30, 1000))
            if rng.random() < 0.02:
                m.card_status = "未激活"
        return members


REGISTER_HEADERS = TEMPLATE_HEADERS  # the synthetic files use the columns of the downloadable template


def register_row(i: int, m: Member) -> list[str]:
    return [str(i), m.name, m.id_number, m.village, m.household, m.relation, m.phone, m.status,
            m.status_date.isoformat() if m.status_date else "", "社保卡", m.bank, m.card, m.card_status]
