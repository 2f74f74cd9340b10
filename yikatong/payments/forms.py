"""Forms of the agent banks page (代发银行与协议): what a system administrator types to register a bank or
an agreement. Only the shape is checked here; every rule (role, region, key length, dates, the
three-party agreement) is the service's (payments.banks)."""
from django import forms

from yikatong.accounts.models import OrgKind
from yikatong.core.profiles import current_profile
from yikatong.policies.forms import BootstrapMixin

from . import selectors


class DateInput(forms.DateInput):
    input_type = "date"


def _org_label(org) -> str:
    return f"{org.name}（{org.code}）"


class BankForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label="银行编码", max_length=20,
                           help_text="1–20 位字母或数字，出现在每个代发文件名中，登记后不能修改")
    name = forms.CharField(label="银行名称", max_length=100)
    organization = forms.ModelChoiceField(label="对应单位（代发金融机构）", queryset=None,
                                          help_text="本辖区内类型为“代发金融机构”的单位")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = selectors.organizations_for_banks(actor, OrgKind.AGENT_BANK)
        self.fields["organization"].label_from_instance = _org_label
        self._style()


class AgreementForm(BootstrapMixin, forms.Form):
    bank = forms.ModelChoiceField(label="代发银行", queryset=None)
    payer = forms.ModelChoiceField(label="付款单位（财政局）", queryset=None)
    department = forms.ModelChoiceField(label="业务主管部门（三方协议的第三方）", queryset=None, required=False)
    payer_account = forms.CharField(label="付款账号", max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"}),
                                    help_text="保存后加密存储，页面只显示后四位")
    payer_name = forms.CharField(label="付款户名", max_length=100)
    mac_key = forms.CharField(label="MAC 密钥", widget=forms.PasswordInput(render_value=False,
                                                                        attrs={"autocomplete": "new-password"}),
                              help_text="与银行约定的密钥，至少 16 字节：填写十六进制（如 00112233…，优先按十六进制识别）"
                                        "或 base64 编码。保存后加密存储，不再显示")
    valid_from = forms.DateField(label="生效日期", widget=DateInput)
    valid_to = forms.DateField(label="失效日期", widget=DateInput, required=False, help_text="不填为长期有效")
    pay_within_working_days = forms.IntegerField(label="发放时限（工作日）", min_value=0, max_value=365, required=False)
    report_within_days = forms.IntegerField(label="反馈时限（日）", min_value=0, max_value=365, required=False)
    document = forms.FileField(label="已签署的协议文本", required=False, help_text="PDF、JPG 或 PNG")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = selectors.banks_for(actor).filter(is_active=True)
        self.fields["payer"].queryset = selectors.organizations_for_banks(actor, OrgKind.FINANCE_BUREAU)
        self.fields["department"].queryset = selectors.organizations_for_banks(actor, OrgKind.LINE_DEPARTMENT)
        for name in ("payer", "department"):
            self.fields[name].label_from_instance = _org_label
        profile = current_profile()
        for name, default in (("pay_within_working_days", profile.bank_pay_within_working_days),
                              ("report_within_days", profile.bank_report_within_days)):
            self.fields[name].help_text = f"不填按本地规定（{default if default is not None else '不限'}）"
        if profile.three_party_agreement:
            self.fields["department"].help_text = "本地要求三方代发协议：须选择业务主管部门并上传协议文本"
        self._style()
