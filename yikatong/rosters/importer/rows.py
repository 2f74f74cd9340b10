"""Validation of one roster row. Errors block the row; warnings go with it into review."""
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from yikatong.core.identifiers import (
    IdentifierError,
    looks_like_uscc,
    validate_account_number,
    validate_id_number,
    validate_phone,
    validate_uscc,
)
from yikatong.core.money import Money, MoneyError
from yikatong.core.sheets import header_key

from . import spec as S
from .payee import payee_problems

CANONICAL = {header_key(label): c.name for c in S.COLUMNS for label in c.labels}


@dataclass
class Problem:
    line: int
    column: str
    value: str
    message: str
    level: str = "error"  # "error" | "warning"
    code: str = ""  # stable code where one is defined (e.g. PAYEE_DELIMITER, STANDARD_MISMATCH)

    def text(self) -> str:
        return f"第{self.line}行 {self.message}" if self.line else self.message  # 0: the file as a whole

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "value": self.value, "message": self.text(), "level": self.level,
                "code": self.code}


@dataclass
class ItemDraft:
    line: int
    no: str
    name: str
    id_number: str
    is_org: bool
    village_code: str
    household_no: str
    relation: str
    phone: str
    bank_name: str
    account_no: str
    account_holder: str
    quantity: Decimal
    standard_fen: int | None
    amount_fen: int
    memo: str
    warnings: list[dict] = field(default_factory=list)
    roster_standard_fen: int | None = None  # the 标准 the row states (per unit), None when it states none
    # with no 标准 stated: the per-unit rate the amount is an exact multiple of, when it is not the catalogue's
    implied_standard_fen: int | None = None


def implied_rate(amount_fen: int, quantity: Decimal) -> int | None:
    """The per-unit rate in fen of which `amount_fen` is exactly `quantity` times (half-up to the fen), or None."""
    if quantity <= 0:
        return None
    rate = int((Decimal(amount_fen) / quantity).to_integral_value())
    return rate if rate > 0 and Money.from_fen(rate).times(quantity).fen == amount_fen else None


class RowValidator:
    """Validates rows of one batch: knows the policy standard and the villages of the township."""

    def __init__(self, *, resolver, township_text: str, standard_fen_for):
        self.resolver = resolver
        self.township_text = township_text
        self.standard_fen_for = standard_fen_for  # (quantity: Decimal) -> int | None

    def validate(self, row) -> tuple[ItemDraft | None, list[Problem]]:
        line, v = row.line, row.values
        problems = [Problem(e.line, e.column, e.value, e.message) for e in row.errors]
        bad = {CANONICAL.get(header_key(p.column), p.column) for p in problems}

        def err(col, msg, value=None):
            problems.append(Problem(line, col, v.get(col, "") if value is None else value, msg))

        def warn(col, msg, code=""):
            problems.append(Problem(line, col, v.get(col, ""), msg, "warning", code=code))

        # payee data a bank file cannot carry (delimiter, control characters…): refused here, by code
        for col, code, msg in payee_problems(v):
            if col not in bad:
                problems.append(Problem(line, col, v.get(col, ""), msg, code=code))
                bad.add(col)

        name = v.get(S.NAME, "")
        if not name and S.NAME not in bad:
            err(S.NAME, "姓名为空")
        raw_id = v.get(S.ID, "")
        id_number, is_org = "", False
        if not raw_id:
            if S.ID not in bad:
                err(S.ID, "身份证号码为空")
        elif S.ID not in bad:
            try:
                if looks_like_uscc(raw_id):
                    id_number, is_org = validate_uscc(raw_id), True
                else:
                    id_number = validate_id_number(raw_id)
            except IdentifierError as exc:
                err(S.ID, str(exc))
        village_code = ""
        village_text = v.get(S.VILLAGE, "")
        if not village_text:
            err(S.VILLAGE, "村(社区)为空")
        else:
            village_code, problem = self.resolver.resolve(self.township_text, village_text)
            if problem:
                err(S.VILLAGE, problem)
        phone = v.get(S.PHONE, "")
        if phone and S.PHONE not in bad:
            try:
                phone = validate_phone(phone)
            except IdentifierError as exc:
                err(S.PHONE, str(exc))
        account = v.get(S.ACCOUNT, "")
        if not account:
            if S.ACCOUNT not in bad:
                err(S.ACCOUNT, "银行账号为空")
        elif S.ACCOUNT not in bad:
            try:
                account = validate_account_number(account, card=not is_org)
            except IdentifierError as exc:
                err(S.ACCOUNT, str(exc))
        quantity = Decimal(1)
        if v.get(S.QUANTITY):
            try:
                quantity = Decimal(v[S.QUANTITY])
                if quantity < 0:
                    raise InvalidOperation
            except InvalidOperation:
                err(S.QUANTITY, f"补贴数量“{v[S.QUANTITY]}”不是有效的数字")
                quantity = Decimal(1)
        standard_fen = None
        if v.get(S.STANDARD):
            try:
                standard_fen = Money.parse(v[S.STANDARD]).fen
            except MoneyError as exc:
                err(S.STANDARD, f"补贴标准(元) {exc}")
        amount_fen = 0
        raw_amount = v.get(S.AMOUNT, "")
        if not raw_amount:
            if S.AMOUNT not in bad:
                err(S.AMOUNT, "发放金额为空")
        else:
            try:
                amount_fen = Money.parse(raw_amount).fen
                if amount_fen <= 0:
                    err(S.AMOUNT, f"发放金额“{raw_amount}”必须大于0")
            except MoneyError as exc:
                err(S.AMOUNT, f"发放金额(元) {exc}")
        if any(p.level == "error" for p in problems):
            return None, problems
        holder = v.get(S.HOLDER, "") or name
        if holder != name:
            warn(S.HOLDER, f"账户户名“{holder}”与姓名“{name}”不一致")
        policy_standard = self.standard_fen_for(quantity)
        roster_standard = standard_fen  # per unit, as the roster states it (None: no 标准 given)
        # the item keeps a per-unit standard: the roster's, else the catalogue's rate (not rate × quantity)
        standard_fen = roster_standard if roster_standard is not None else self.standard_fen_for(Decimal(1))
        implied = None
        if standard_fen is not None:
            expected = Money.from_fen(standard_fen).times(quantity).fen if roster_standard is not None else policy_standard
            if expected is not None and expected != amount_fen:
                warn(S.AMOUNT, f"发放金额 {Money.from_fen(amount_fen)} 与标准×数量 {Money.from_fen(expected)} 不符",
                     code="AMOUNT_NOT_STANDARD")
                if roster_standard is None:
                    implied = implied_rate(amount_fen, quantity)
        draft = ItemDraft(
            line=line, no=v.get(S.NO, ""), name=name, id_number=id_number, is_org=is_org, village_code=village_code,
            household_no=v.get(S.HOUSEHOLD, ""), relation=v.get(S.RELATION, ""), phone=phone,
            bank_name=v.get(S.BANK, ""), account_no=account, account_holder=holder, quantity=quantity,
            standard_fen=standard_fen, amount_fen=amount_fen, memo=v.get(S.MEMO, ""),
            warnings=[p.as_dict() for p in problems if p.level == "warning"], roster_standard_fen=roster_standard,
            implied_standard_fen=implied,
        )
        return draft, [p for p in problems if p.level == "warning"]
