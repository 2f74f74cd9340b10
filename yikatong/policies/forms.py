"""Forms that produce a PolicySpec: amounts in yuan (元) and shares in percent, tiers and basis
documents one per line. Errors name the line so a clerk can find it."""
import datetime
from decimal import Decimal, InvalidOperation

from django import forms

from yikatong.accounts.models import Organization, OrgKind
from yikatong.core.money import Money, MoneyError
from yikatong.core.refusals import invalid

from . import errors  # noqa: F401  (registers the refusal messages)
from .choices import FUND_SOURCES, Carrier, Disburser, Frequency, Intake, Line, TargetGroup, Unit
from .models import ChangeKind
from .spec import BasisSpec, PolicySpec, TierSpec, percent

TIER_HELP = "每行一档：代码|名称|金额(元)|年龄下限|年龄上限（年龄可不填）。例：1|一级|100；90|90-99周岁|100|90|99"
BASIS_HELP = "每行一个文件：文号|文件名称|印发日期。例：晋财社〔2025〕12号|关于提高城乡低保标准的通知|2025-06-30"


class BootstrapMixin:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def _yuan(text: str, what: str) -> int:
    try:
        fen = Money.parse(text).fen
    except (MoneyError, TypeError) as exc:
        raise invalid("POLICY_AMOUNT_UNREADABLE", what=what, reason=exc) from None
    if fen < 0:
        raise invalid("POLICY_AMOUNT_NEGATIVE", what=what)
    return fen


def _opt_int(text: str, what: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise invalid("POLICY_INTEGER_INVALID", what=what, text=text)
    return int(text)


class PolicyForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label="统一代码", max_length=30, help_text="大写字母、数字和短横线，如 SX-MZ-001")
    name = forms.CharField(label="政策名称（省级统一名称）", max_length=100, help_text="银行代发和短信告知使用此名称")
    local_name = forms.CharField(label="本地名称", max_length=100, required=False)
    department = forms.ModelChoiceField(label="主管部门", queryset=Organization.objects.none())
    line = forms.ChoiceField(label="业务条线", choices=Line.choices)
    target_group = forms.ChoiceField(label="补贴对象类别", choices=TargetGroup.choices)
    target_description = forms.CharField(label="补贴对象", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    unit = forms.ChoiceField(label="计量单位", choices=Unit.choices)
    rate_yuan = forms.CharField(label="补贴标准（元/单位）", required=False, help_text="分档发放的不填，改填下面的分档标准")
    tier_basis = forms.CharField(label="分档依据", max_length=50, required=False, help_text="如：残疾等级、年龄段")
    tiers_text = forms.CharField(label="分档标准", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=TIER_HELP)
    standard_note = forms.CharField(label="标准说明", max_length=200, required=False)
    frequency = forms.ChoiceField(label="发放频次", choices=Frequency.choices)
    share_central = forms.CharField(label="中央承担（%）", initial="0")
    share_province = forms.CharField(label="省级承担（%）", initial="0")
    share_prefecture = forms.CharField(label="市(州)级承担（%）", initial="0")
    share_county = forms.CharField(label="县级承担（%）", initial="0")
    disburser = forms.ChoiceField(label="发放单位", choices=Disburser.choices)
    carrier = forms.ChoiceField(label="发放载体", choices=Carrier.choices)
    age_min = forms.IntegerField(label="最低年龄（周岁）", required=False, min_value=0, max_value=150)
    age_max = forms.IntegerField(label="最高年龄（周岁）", required=False, min_value=0, max_value=150)
    residence_required = forms.BooleanField(label="须在本区划居住/户籍", required=False, initial=True)
    means_tested = forms.BooleanField(label="须经济状况核查（财政供养、车辆房产等比对）", required=False)
    confidential = forms.BooleanField(label="涉密（不向社会公开）", required=False)
    intake = forms.ChoiceField(label="受理方式", choices=Intake.choices, initial=Intake.ROSTER, required=False,
                               help_text="个人申请：村(社区)受理申请，村审核、乡镇审核核实、主管部门审批后纳入发放清册")
    democratic_review = forms.BooleanField(label="村级审核须经民主评议", required=False)
    exclusive = forms.CharField(label="互斥政策代码", required=False, help_text="不能同时享受的政策，多个用逗号分隔")
    basis_text = forms.CharField(label="政策依据", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=BASIS_HELP)

    def __init__(self, *args, region_code: str, department: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organization.objects.filter(kind=OrgKind.LINE_DEPARTMENT, region_id=region_code, is_active=True)
        self.fields["department"].queryset = qs.filter(pk=department.pk) if department else qs
        if department:
            self.fields["department"].initial = department.pk
        self._style()

    @staticmethod
    def initial_from(spec: PolicySpec) -> dict:
        shares = {f"share_{n.split('_')[1]}": percent(getattr(spec, n)) for n, _ in FUND_SOURCES}
        return {
            **{k: getattr(spec, k) for k in ("code", "name", "local_name", "line", "target_group", "target_description",
                                             "unit", "tier_basis", "standard_note", "frequency", "disburser", "carrier",
                                             "age_min", "age_max", "residence_required", "means_tested", "confidential",
                                             "intake", "democratic_review")},
            **shares,
            "department": spec.department_id,
            "rate_yuan": Money(spec.rate_fen).yuan_str() if spec.rate_fen is not None else "",
            "tiers_text": "\n".join(
                "|".join([t.key, t.label, Money(t.rate_fen).yuan_str(), str(t.age_min or ""), str(t.age_max or "")]).rstrip("|")
                for t in spec.tiers
            ),
            "exclusive": ",".join(spec.exclusive_codes),
            "basis_text": "\n".join(f"{b.number}|{b.title}|{b.issued_on or ''}".rstrip("|") for b in spec.basis),
        }

    def _share_bp(self, name: str) -> int:
        text = (self.cleaned_data.get(name) or "0").strip().rstrip("%")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise invalid("POLICY_SHARE_NOT_NUMBER", label=self.fields[name].label, text=text) from None
        if value < 0 or value != value.quantize(Decimal("0.01")):
            raise invalid("POLICY_SHARE_PRECISION", label=self.fields[name].label)
        return int(value * 100)

    def _tiers(self) -> tuple[TierSpec, ...]:
        tiers = []
        for n, line in enumerate(self.cleaned_data.get("tiers_text", "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("｜", "|").split("|")] + ["", ""]
            if len(parts) < 5 or not parts[2]:
                raise invalid("POLICY_TIER_LINE_FORMAT", line=n, help=TIER_HELP)
            what = f"分档标准第{n}行"
            tiers.append(TierSpec(parts[0], parts[1], _yuan(parts[2], what + "金额"),
                                  _opt_int(parts[3], what + "年龄下限"), _opt_int(parts[4], what + "年龄上限")))
        return tuple(tiers)

    def _basis(self) -> tuple[BasisSpec, ...]:
        docs = []
        for n, line in enumerate(self.cleaned_data.get("basis_text", "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("｜", "|").split("|")] + [""]
            if len(parts) < 3 or not parts[0] or not parts[1]:
                raise invalid("POLICY_BASIS_LINE_FORMAT", line=n, help=BASIS_HELP)
            try:
                issued = datetime.date.fromisoformat(parts[2]) if parts[2] else None
            except ValueError:
                raise invalid("POLICY_BASIS_DATE_INVALID", line=n, date=parts[2]) from None
            docs.append(BasisSpec(parts[0], parts[1], issued))
        return tuple(docs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        tiers = self._tiers()
        rate = data["rate_yuan"].strip()
        self.spec = PolicySpec(
            code=data["code"], name=data["name"], local_name=data["local_name"], department_id=data["department"].pk,
            line=data["line"], target_group=data["target_group"], target_description=data["target_description"],
            unit=data["unit"], rate_fen=_yuan(rate, "补贴标准") if rate else None, tier_basis=data["tier_basis"],
            tiers=tiers, standard_note=data["standard_note"], frequency=data["frequency"],
            share_central_bp=self._share_bp("share_central"), share_province_bp=self._share_bp("share_province"),
            share_prefecture_bp=self._share_bp("share_prefecture"), share_county_bp=self._share_bp("share_county"),
            disburser=data["disburser"], carrier=data["carrier"], confidential=data["confidential"],
            means_tested=data["means_tested"], exclusive_codes=tuple(
                c.strip() for c in data["exclusive"].replace("，", ",").replace("、", ",").split(",") if c.strip()
            ),
            age_min=data["age_min"], age_max=data["age_max"], residence_required=data["residence_required"],
            intake=data["intake"] or Intake.ROSTER, democratic_review=data["democratic_review"],
            basis=self._basis(),
        )
        return data


class CatalogueCreateForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    copy_from_last_year = forms.BooleanField(label="以上一年度已公布清单为基础", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ChangeRequestForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="变更类型", choices=ChangeKind.choices)
    reason = forms.CharField(label="变更理由及依据", widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label="申请表及政策文件扫描件（可选）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class DecisionForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label="审批意见（不同意时必填）", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class BasisFileForm(forms.Form):
    file = forms.FileField(label="政策文件（PDF/OFD/图片）")
