"""Quota forms: amounts typed in yuan (元), stored in fen."""
from django import forms
from django.utils import timezone

from yikatong.accounts.models import Organization, OrgKind
from yikatong.core.money import Money, MoneyError
from yikatong.core.refusals import invalid
from yikatong.policies.forms import BootstrapMixin
from yikatong.regions.models import Region

from . import errors  # noqa: F401  (registers the refusal messages)
from .models import SOURCE_FIELDS, IssuingLevel


def yuan_to_fen(text: str, label: str, *, allow_zero: bool = True) -> int:
    text = (text or "").strip() or "0"
    try:
        fen = Money.parse(text).fen
    except (MoneyError, TypeError) as exc:
        raise invalid("FUND_AMOUNT_UNREADABLE", label=label, reason=exc) from None
    if fen < 0 or (fen == 0 and not allow_zero):
        raise invalid("FUND_AMOUNT_NOT_POSITIVE", label=label)
    return fen


class DateInput(forms.DateInput):
    input_type = "date"


class QuotaForm(BootstrapMixin, forms.Form):
    doc_number = forms.CharField(label="指标文号", max_length=100, help_text="如：晋财农〔2026〕15号")
    title = forms.CharField(label="文件标题", max_length=200, required=False)
    issuing_level = forms.ChoiceField(label="下达层级", choices=IssuingLevel.choices)
    issuer_name = forms.CharField(label="下达单位", max_length=100, required=False)
    received_on = forms.DateField(label="收到日期", widget=DateInput)
    policy = forms.ModelChoiceField(label="补贴项目", queryset=None)
    direct_to_county = forms.BooleanField(label="省级直接分配到县的资金", required=False)
    central = forms.CharField(label="中央资金（元）", required=False)
    province = forms.CharField(label="省级资金（元）", required=False)
    prefecture = forms.CharField(label="市(州)级资金（元）", required=False)
    county = forms.CharField(label="县级资金（元）", required=False)

    def __init__(self, *args, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies
        self.fields["policy"].label_from_instance = lambda p: f"{p.catalogue.year}年 {p.code} {p.name}"
        self.fields["received_on"].initial = timezone.localdate()
        self._style()

    def clean(self):
        data = super().clean()
        self.amounts_fen = {}
        for name, label in SOURCE_FIELDS:
            key = name.removesuffix("_fen")
            try:
                self.amounts_fen[name] = yuan_to_fen(data.get(key), label)
            except forms.ValidationError as exc:
                self.add_error(key, exc)
        if not self.errors and sum(self.amounts_fen.values()) == 0:
            raise invalid("QUOTA_AMOUNT_EMPTY")
        return data


class AllocationForm(BootstrapMixin, forms.Form):
    target_region = forms.ModelChoiceField(label="下达到区划", queryset=Region.objects.none(), required=False)
    target_org = forms.ModelChoiceField(label="或下达到本级部门", queryset=Organization.objects.none(), required=False)
    amount = forms.CharField(label="金额（元）")
    deadline = forms.DateField(label="下达期限", widget=DateInput, required=False,
                               help_text="本地配置规定了时限的，系统自动计算，此处不必填写")

    def __init__(self, *args, quota, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_region"].queryset = Region.objects.filter(parent_id=quota.region_id).order_by("code")
        self.fields["target_org"].queryset = Organization.objects.filter(
            kind=OrgKind.LINE_DEPARTMENT, region_id=quota.region_id, is_active=True
        )
        self._style()

    def clean(self):
        data = super().clean()
        if "amount" in data:
            try:
                self.amount_fen = yuan_to_fen(data["amount"], "金额", allow_zero=False)
            except forms.ValidationError as exc:
                self.add_error("amount", exc)
        if not data.get("target_region") and not data.get("target_org"):
            raise invalid("ALLOCATION_TARGET_MISSING")
        if data.get("target_region") and data.get("target_org"):
            raise invalid("ALLOCATION_TARGET_BOTH")
        return data


class IssueForm(BootstrapMixin, forms.Form):
    doc_number = forms.CharField(label="下达文号", max_length=100)
    issued_on = forms.DateField(label="下达日期", widget=DateInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
