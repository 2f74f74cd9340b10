"""The content of a policy as a plain value (PolicySpec): what forms produce, change requests
store (as JSON), services write, and the diff page compares."""
from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field, fields, replace

from django.core.exceptions import ValidationError

from yikatong.accounts.models import Organization, OrgKind
from yikatong.core.money import Money
from yikatong.core.refusals import invalid

from . import errors  # noqa: F401  (registers the refusal messages)
from .choices import FULL_SHARE_BP, FUND_SOURCES, Carrier, Disburser, Frequency, Intake, Line, TargetGroup, Unit

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,29}$")


@dataclass(frozen=True)
class TierSpec:
    key: str
    label: str
    rate_fen: int
    age_min: int | None = None
    age_max: int | None = None


@dataclass(frozen=True)
class BasisSpec:
    number: str
    title: str
    issued_on: datetime.date | None = None


@dataclass(frozen=True)
class PolicySpec:
    code: str
    name: str
    department_id: int
    line: str
    target_group: str
    frequency: str
    local_name: str = ""
    target_description: str = ""
    unit: str = Unit.PERSON
    rate_fen: int | None = None
    tier_basis: str = ""
    tiers: tuple[TierSpec, ...] = ()
    standard_note: str = ""
    share_central_bp: int = 0
    share_province_bp: int = 0
    share_prefecture_bp: int = 0
    share_county_bp: int = 0
    disburser: str = Disburser.TOWNSHIP
    carrier: str = Carrier.SOCIAL_SECURITY_CARD
    confidential: bool = False
    means_tested: bool = False
    exclusive_codes: tuple[str, ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    residence_required: bool = True
    intake: str = Intake.ROSTER
    democratic_review: bool = False
    basis: tuple[BasisSpec, ...] = field(default=())

    # ---- conversions --------------------------------------------------------------

    @classmethod
    def from_policy(cls, policy) -> PolicySpec:
        scalars = {f.name: getattr(policy, f.name) for f in fields(cls) if f.name not in ("tiers", "basis", "exclusive_codes")}
        return cls(
            **scalars,
            exclusive_codes=tuple(policy.exclusive_codes or ()),
            tiers=tuple(
                TierSpec(t.key, t.label, t.rate_fen, t.age_min, t.age_max) for t in policy.tiers.all()
            ),
            basis=tuple(BasisSpec(b.number, b.title, b.issued_on) for b in policy.basis_documents.all()),
        )

    def to_dict(self) -> dict:
        data = asdict(self)
        data["basis"] = [{**b, "issued_on": b["issued_on"].isoformat() if b["issued_on"] else None} for b in data["basis"]]
        data["exclusive_codes"] = list(self.exclusive_codes)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> PolicySpec:
        data = dict(data)
        data["tiers"] = tuple(TierSpec(**t) for t in data.get("tiers", ()))
        data["basis"] = tuple(
            BasisSpec(b["number"], b["title"], datetime.date.fromisoformat(b["issued_on"]) if b.get("issued_on") else None)
            for b in data.get("basis", ())
        )
        data["exclusive_codes"] = tuple(data.get("exclusive_codes", ()))
        return cls(**data)

    def model_fields(self) -> dict:
        """Scalar fields of the Policy row."""
        skip = {"tiers", "basis", "exclusive_codes"}
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip}
        out["exclusive_codes"] = list(self.exclusive_codes)
        return out

    def normalised(self) -> PolicySpec:
        return replace(
            self,
            code=self.code.strip().upper(),
            name=self.name.strip(),
            exclusive_codes=tuple(sorted({c.strip().upper() for c in self.exclusive_codes if c.strip()})),
        )


def percent(bp: int) -> str:
    """Basis points as a percentage without floats: 8000 -> "80", 3333 -> "33.33"."""
    whole, rest = divmod(bp, 100)
    return f"{whole}.{rest:02d}".rstrip("0").rstrip(".") if rest else str(whole)


def _is_int(value) -> bool:
    return type(value) is int


def validate_spec(spec: PolicySpec, *, region_code: str) -> None:
    """Raise ValidationError listing every problem, each with its code and Chinese message."""
    problems: list[ValidationError] = []
    if not _CODE.match(spec.code):
        problems.append(invalid("POLICY_CODE_FORMAT", policy_code=spec.code))
    if not spec.name.strip():
        problems.append(invalid("POLICY_NAME_REQUIRED"))
    dept = Organization.objects.filter(pk=spec.department_id).select_related("region").first()
    if dept is None or dept.kind != OrgKind.LINE_DEPARTMENT:
        problems.append(invalid("POLICY_DEPARTMENT_NOT_LINE"))
    elif dept.region_id != region_code:
        problems.append(invalid("POLICY_DEPARTMENT_OTHER_REGION", department=dept.name))
    for value, choices, label in (
        (spec.line, Line, "业务条线"), (spec.target_group, TargetGroup, "补贴对象类别"), (spec.frequency, Frequency, "发放频次"),
        (spec.unit, Unit, "计量单位"), (spec.disburser, Disburser, "发放单位"), (spec.carrier, Carrier, "发放载体"),
        (spec.intake, Intake, "受理方式"),
    ):
        if value not in choices.values:
            problems.append(invalid("POLICY_CHOICE_INVALID", label=label, value=value))
    problems += _standard_errors(spec)
    shares = [getattr(spec, name) for name, _ in FUND_SOURCES]
    if not all(_is_int(s) and s >= 0 for s in shares):
        problems.append(invalid("POLICY_SHARES_INVALID"))
    elif sum(shares) != FULL_SHARE_BP:
        problems.append(invalid("POLICY_SHARES_NOT_FULL", total=percent(sum(shares))))
    problems += _age_errors(spec.age_min, spec.age_max, "年龄条件")
    if spec.code in spec.exclusive_codes:
        problems.append(invalid("POLICY_EXCLUSIVE_SELF"))
    for b in spec.basis:
        if not b.number.strip() or not b.title.strip():
            problems.append(invalid("POLICY_BASIS_INCOMPLETE"))
    if problems:
        raise problems[0] if len(problems) == 1 else ValidationError(problems)


def _standard_errors(spec: PolicySpec) -> list[ValidationError]:
    problems = []
    if spec.tiers:
        if spec.rate_fen is not None:
            problems.append(invalid("POLICY_TIERS_AND_RATE"))
        keys = [t.key for t in spec.tiers]
        if len(set(keys)) != len(keys):
            problems.append(invalid("POLICY_TIER_KEYS_DUPLICATE"))
        for t in spec.tiers:
            if not t.key.strip() or not t.label.strip():
                problems.append(invalid("POLICY_TIER_INCOMPLETE"))
            if not _is_int(t.rate_fen) or t.rate_fen < 0:
                problems.append(invalid("POLICY_TIER_RATE_INVALID", tier=t.label))
            problems += _age_errors(t.age_min, t.age_max, f"档次“{t.label}”的年龄段")
    elif not _is_int(spec.rate_fen) or spec.rate_fen < 0:
        problems.append(invalid("POLICY_RATE_REQUIRED"))
    return problems


def _age_errors(low, high, label) -> list[ValidationError]:
    if low is not None and high is not None and low > high:
        return [invalid("POLICY_AGE_RANGE_INVALID", label=label)]
    return []


def standard_text(spec: PolicySpec) -> str:
    unit = Unit(spec.unit).label
    if spec.tiers:
        parts = "；".join(f"{t.label} {Money(t.rate_fen)}/{unit}" for t in spec.tiers)
        return f"按{spec.tier_basis or '档次'}分档：{parts}"
    return f"{Money(spec.rate_fen or 0)}/{unit}"


def age_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low}—{high}周岁"
    if low is not None:
        return f"年满{low}周岁"
    return f"不超过{high}周岁" if high is not None else ""


def describe(spec: PolicySpec, *, department_name: str | None = None) -> list[tuple[str, str]]:
    """(label, text) pairs shown on detail, change-request and diff pages."""
    if department_name is None:
        department_name = Organization.objects.filter(pk=spec.department_id).values_list("name", flat=True).first() or ""
    shares = " · ".join(f"{label} {percent(getattr(spec, name))}%" for name, label in FUND_SOURCES if getattr(spec, name))
    ages = age_text(spec.age_min, spec.age_max)
    return [
        ("统一代码", spec.code),
        ("政策名称", spec.name),
        ("本地名称", spec.local_name),
        ("主管部门", department_name),
        ("业务条线", Line(spec.line).label if spec.line in Line.values else spec.line),
        ("补贴对象类别", TargetGroup(spec.target_group).label if spec.target_group in TargetGroup.values else spec.target_group),
        ("补贴对象", spec.target_description),
        ("补贴标准", standard_text(spec)),
        ("标准说明", spec.standard_note),
        ("发放频次", Frequency(spec.frequency).label if spec.frequency in Frequency.values else spec.frequency),
        ("资金来源", shares),
        ("发放单位", Disburser(spec.disburser).label),
        ("发放载体", Carrier(spec.carrier).label),
        ("年龄条件", ages),
        ("须在本区划居住/户籍", "是" if spec.residence_required else "否"),
        ("须经济状况核查", "是" if spec.means_tested else "否"),
        ("受理方式", Intake(spec.intake).label if spec.intake in Intake.values else spec.intake),
        ("村级须民主评议", "是" if spec.democratic_review else "否"),
        ("互斥政策", "、".join(spec.exclusive_codes)),
        ("涉密", "是" if spec.confidential else "否"),
        ("政策依据", "；".join(f"{b.title}（{b.number}{'，' + b.issued_on.isoformat() if b.issued_on else ''}）" for b in spec.basis)),
    ]
