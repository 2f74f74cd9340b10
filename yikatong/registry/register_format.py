"""The base-register file (乡镇管底册): its columns and turning one row into a RegisterRow.

Columns and aliases are documented in docs/datasets/README.md (底册导入). An empty optional
cell means "no information": it never erases what the register already holds.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from yikatong.core.crypto import Vault
from yikatong.core.identifiers import (
    IdentifierError,
    looks_like_uscc,
    parse_id_number,
    validate_account_number,
    validate_phone,
    validate_uscc,
)
from yikatong.core.sheets import CellError, Column, SheetRow

from .choices import (
    ACCOUNT_KIND_WORDS,
    ACCOUNT_STATUS_WORDS,
    PERSON_STATUS_WORDS,
    AccountKind,
)

if TYPE_CHECKING:  # an annotation only: the column list stays importable without Django set up
    from .villages import VillageResolver  # (benchmarks/bench_registry.py generates rows from it)

NAME, ID, TOWN, VILLAGE = "姓名", "身份证号码", "乡镇(街道)", "村(社区)"
HOUSEHOLD, RELATION, PHONE, STATUS, STATUS_DATE = "户号", "与户主关系", "联系电话", "人员状态", "状态日期"
KIND, BANK, ACCOUNT, HOLDER, ACCOUNT_STATUS = "账户类型", "开户银行", "银行账号", "账户户名", "账户状态"

COLUMNS = [
    Column("序号", data=False),
    Column(NAME, ("户主姓名", "补贴对象姓名", "名称", "单位名称"), required=True, kind="compact"),
    Column(ID, ("身份证号", "公民身份号码", "证件号码", "统一社会信用代码"), required=True, kind="identifier"),
    Column(TOWN, ("乡镇", "所属乡镇", "乡镇街道", "街道"), kind="compact"),
    Column(VILLAGE, ("所属村", "村组", "行政村", "村名", "村(居)委会", "村委会", "村(居)"), required=True, kind="compact"),
    Column(HOUSEHOLD, ("户编号", "家庭户号"), kind="compact"),
    Column(RELATION, ("关系", "与户主的关系"), kind="compact"),
    Column(PHONE, ("手机号码", "电话", "手机号", "联系方式"), kind="identifier"),
    Column(STATUS, ("状态",), kind="compact"),
    Column(STATUS_DATE, ("变动日期", "死亡日期", "迁出日期", "生效日期"), kind="date"),
    Column(KIND, ("账户种类", "卡折类型"), kind="compact"),
    Column(BANK, ("代发银行", "银行名称", "开户行"), kind="compact"),
    Column(ACCOUNT, ("社保卡号", "社会保障卡金融账号", "卡号", "账号", "银行卡号", "存折号"), kind="identifier"),
    Column(HOLDER, ("户名", "账户名称", "持卡人"), kind="compact"),
    Column(ACCOUNT_STATUS, ("卡状态",), kind="compact"),
    Column("备注"),
]


@dataclass(slots=True)
class RegisterRow:
    line: int
    is_org: bool
    name: str
    number: str  # ID number, or USCC for an organization
    bidx: str
    digest: str
    birth_date: dt.date | None
    sex: str
    village: str  # 12-digit code
    household: str
    relation: str
    phone: str
    status: str  # "" = keep
    status_date: dt.date | None
    account: str
    account_kind: str  # "" = not given
    bank: str
    holder: str
    account_status: str  # "" = keep (new accounts: active)


class RowParser:
    """Validates rows of one file; remembers ID numbers already seen to report duplicates."""

    def __init__(self, *, resolver: VillageResolver, vault: Vault, today: dt.date, headers: dict[str, str]):
        self.resolver, self.vault, self.today = resolver, vault, today
        self.headers = headers
        self.seen: dict[int, int] = {}  # ID number as an int -> first line

    def _err(self, row: SheetRow, col: str, message: str, errors: list[CellError]) -> None:
        errors.append(CellError(row.line, self.headers.get(col, col), row.values.get(col, ""), message))

    def parse(self, row: SheetRow) -> tuple[RegisterRow | None, list[CellError]]:
        v = row.values
        errors = list(row.errors)
        name, number = v[NAME], v[ID].upper()
        if not name:
            self._err(row, NAME, f"{self.headers.get(NAME, NAME)}不能为空", errors)
        if len(name) > 50:
            self._err(row, NAME, f"{self.headers.get(NAME, NAME)}“{name[:20]}…”太长（最多50个字）", errors)
        is_org, birth, sex = False, None, ""
        if number:
            try:
                info = parse_id_number(number, today=self.today)
                number, birth, sex = info.number, info.birth_date, info.sex
            except IdentifierError as exc:
                if looks_like_uscc(number):
                    is_org = True
                    try:
                        number = validate_uscc(number)
                    except IdentifierError as uexc:
                        self._err(row, ID, str(uexc), errors)
                else:
                    self._err(row, ID, str(exc), errors)
        elif not any(e.column == self.headers.get(ID) for e in errors):
            self._err(row, ID, f"{self.headers.get(ID, ID)}不能为空", errors)
        village, problem = self.resolver.resolve(v[TOWN], v[VILLAGE]) if v[VILLAGE] else (None, "村(社区)不能为空")
        if problem:
            self._err(row, VILLAGE, problem, errors)
        phone = self._optional(row, PHONE, validate_phone, errors)
        status = self._word(row, STATUS, PERSON_STATUS_WORDS, "正常、死亡、迁出、其他", errors)
        kind = self._word(row, KIND, ACCOUNT_KIND_WORDS, "社保卡、银行卡、存折、对公账户", errors)
        card = (kind or (AccountKind.CORPORATE if is_org else AccountKind.SSC)) in (AccountKind.SSC, AccountKind.BANK_CARD)
        account = self._optional(row, ACCOUNT, lambda a: validate_account_number(a, card=card), errors)
        account_status = self._word(row, ACCOUNT_STATUS, ACCOUNT_STATUS_WORDS, "正常、未激活、冻结、挂失、已销户", errors)
        status_date = dt.date.fromisoformat(v[STATUS_DATE]) if v[STATUS_DATE] else None
        if status_date and status_date > self.today:
            self._err(row, STATUS_DATE, f"{self.headers.get(STATUS_DATE)}“{v[STATUS_DATE]}”晚于今天", errors)
        if number and not errors:
            # an int per ID keeps a million of them in ~100 MB; organizations keep their code
            key = number if is_org else int(number[:17]) * 11 + (10 if number[17] == "X" else int(number[17]))
            first = self.seen.setdefault(key, row.line)
            if first != row.line:
                self._err(row, ID, f"{self.headers.get(ID, ID)}与第{first}行重复，同一人（单位）只能出现一次", errors)
        if errors:
            return None, errors
        parts = (name, number, village, v[HOUSEHOLD], v[RELATION], phone, status, v[STATUS_DATE],
                 kind, v[BANK], account, v[HOLDER], account_status)
        return RegisterRow(
            line=row.line, is_org=is_org, name=name, number=number,
            bidx=self.vault.id_index(number) if not is_org else "", digest=self.vault.digest(*parts),
            birth_date=birth, sex=sex, village=village, household=v[HOUSEHOLD], relation=v[RELATION],
            phone=phone, status=status, status_date=status_date, account=account, account_kind=kind,
            bank=v[BANK], holder=v[HOLDER], account_status=account_status,
        ), []

    def _optional(self, row: SheetRow, col: str, check, errors: list[CellError]) -> str:
        value = row.values[col]
        if not value:
            return ""
        try:
            return check(value)
        except IdentifierError as exc:
            self._err(row, col, str(exc), errors)
            return ""

    def _word(self, row: SheetRow, col: str, words: dict, allowed: str, errors: list[CellError]) -> str:
        value = row.values[col]
        if not value:
            return ""
        found = words.get(value)
        if found is None:
            self._err(row, col, f"{self.headers.get(col, col)}“{value}”无法识别，应填写：{allowed}", errors)
            return ""
        return str(found)


# The downloadable template's columns, in order (views/imports.import_template; the synthetic demo files).
TEMPLATE_HEADERS = ["序号", NAME, ID, VILLAGE, HOUSEHOLD, RELATION, PHONE, STATUS, STATUS_DATE,
                    KIND, BANK, ACCOUNT, ACCOUNT_STATUS]
