"""Self-query reads (本人发放查询, /public/query/): one person's own payments and applications, found by the
blind index of the ID number and held to the exact name. Nothing here says whether an ID number is known:
an unknown ID and a wrong name give the same empty answer.

Shown per payment: policy, period, amount, date paid, bank and the last 4 digits of the account, status and,
for a failed line, the bank's reason in plain words and what to do. Never the phone, the full account or
anything of another person; confidential (涉密) policies are left out as on every public page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from yikatong.applications.selectors import public_status
from yikatong.core.crypto import vault
from yikatong.registry.models import Person
from yikatong.rosters.models import BatchItem

# what a beneficiary can do about a failed line, by bank reason code (specs/bank-exchange.md)
_ADVICE = {
    "E01": "请携带身份证和社会保障卡（或银行卡）到{station}核对账号，更正后将重新发放。",
    "E02": "请携带身份证和社会保障卡（或银行卡）到{station}核对户名，更正后将重新发放。",
    "E03": "账户已销户，请到{station}登记新的社会保障卡或银行账户，登记后将重新发放。",
    "E04": "请向开户银行了解账户冻结原因；如需更换账户，请到{station}办理。",
    "E05": "请携带社会保障卡到银行网点激活金融功能，然后告知{station}重新发放。",
    "E06": "请携带身份证到{station}核对证件号码，更正后将重新发放。",
}
_ADVICE_OTHER = "请联系{station}或代发银行核实。"
_STATUS = {"paid": "已发放", "failed": "发放失败", "pending": "银行处理中"}


@dataclass(frozen=True)
class PaymentRow:
    policy: str
    period: str
    amount_fen: int
    paid_on: object  # date or None
    bank: str
    account_last4: str
    status: str  # paid / failed / pending / waiting
    status_label: str
    reason: str = ""
    advice: str = ""

    @property
    def amount_yuan(self) -> str:
        return f"{self.amount_fen // 100:,}.{self.amount_fen % 100:02d}"


@dataclass(frozen=True)
class Answer:
    payments: list[PaymentRow] = field(default_factory=list)
    applications: list[dict] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.payments or self.applications)


def _last4(masked: str) -> str:
    digits = [c for c in masked if c.isdigit()]
    return "".join(digits[-4:])


def _row(item: BatchItem, line) -> PaymentRow:
    station = f"{item.batch.region.name}经办站所"
    common = {"policy": item.batch.policy.name, "period": item.batch.period, "bank": item.bank_name,
              "account_last4": _last4(item.account_masked)}
    if line is None:
        return PaymentRow(amount_fen=item.amount_fen, paid_on=None, status="waiting",
                          status_label="审核中，尚未发放", **common)
    reason = advice = ""
    if line.status == "failed":
        code = line.reason
        reason = code.meaning if code else "其他"
        advice = _ADVICE.get(line.reason_code, _ADVICE_OTHER).format(station=station)
    paid_on = line.paid_at.date() if line.paid_at and line.status == "paid" else None
    return PaymentRow(amount_fen=line.amount_fen, paid_on=paid_on, status=line.status,
                      status_label=_STATUS.get(line.status, line.get_status_display()), reason=reason,
                      advice=advice, **common)


def _name_matches(bidx: str, name: str, items: list[BatchItem]) -> bool:
    if any(item.name == name for item in items):
        return True
    return Person.objects.filter(id_bidx=bidx, name=name).exists()


def lookup(id_number: str, name: str) -> Answer:
    """`id_number` already validated and normalised (core.identifiers). Empty Answer unless the name matches."""
    name = (name or "").strip()
    bidx = vault().id_index(id_number)
    items = list(BatchItem.objects.filter(id_bidx=bidx, batch__policy__confidential=False)
                 .select_related("batch__policy", "batch__region")
                 .only("name", "bank_name", "account_masked", "amount_fen", "status", "batch__period",
                       "batch__policy__name", "batch__region__name"))
    if not name:
        return Answer()
    # the applications match the ID number and the exact name by themselves (applications.selectors):
    # an applicant refused before ever being on a roster or in the register still sees the refusal and why
    applications = public_status(id_number, name)
    if not _name_matches(bidx, name, items):
        return Answer(applications=applications)
    # payment lines through the roster item's reverse relation (payments.PaymentOrderItem.batch_item):
    # disclosure and payments are independent in the import contract (.importlinter), so no import
    lines = {}
    line_model = BatchItem._meta.get_field("payment_lines").related_model
    for line in (line_model.objects.filter(batch_item__in=[i.pk for i in items])
                 .exclude(order__state="rejected").order_by("pk")):
        lines[line.batch_item_id] = line  # the latest live line of each item
    payments = [_row(item, lines.get(item.pk)) for item in items
                if item.status == "active" or item.pk in lines]
    payments.sort(key=lambda r: (r.period, r.policy), reverse=True)
    return Answer(payments=payments, applications=applications)
