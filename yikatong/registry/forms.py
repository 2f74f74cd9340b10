"""Forms of the register pages (labels and messages in Chinese)."""
import datetime as dt

from django import forms

from yikatong.core.refusals import invalid

from . import errors  # noqa: F401  (the refusal catalogue)
from .choices import AccountKind, AccountStatus, DatasetKind, EventKind, FollowUpResult

MAX_UPLOAD = 200 * 1024 * 1024


class UploadField(forms.FileField):
    def clean(self, data, initial=None):
        f = super().clean(data, initial)
        if f is not None and f.size > MAX_UPLOAD:
            raise invalid("REGISTER_UPLOAD_TOO_LARGE", limit_mb=MAX_UPLOAD // (1024 * 1024))
        return f


class SearchForm(forms.Form):
    q = forms.CharField(label="姓名、身份证号码（可部分隐藏，如1410**********123X）、账号或户号", max_length=60)


class RegisterUploadForm(forms.Form):
    file = UploadField(label="底册文件（.xlsx / .xls / .csv）")
    region = forms.ChoiceField(label="导入范围", required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
        field.widget.attrs.setdefault("class", css)


class LifeEventForm(forms.Form):
    kind = forms.ChoiceField(label="变动事项", choices=EventKind.choices[:-1])
    effective_date = forms.DateField(label="生效日期", initial=dt.date.today,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label="信息来源", max_length=200,
                             help_text="如：民政办死亡证明、派出所迁移证明、银行挂失补卡回执")
    village = forms.ChoiceField(label="迁入村(社区)", required=False)
    account_no = forms.CharField(label="新账号", max_length=40, required=False)
    account_kind = forms.ChoiceField(label="账户类型", choices=[("", "（不变）"), *AccountKind.choices], required=False)
    bank = forms.CharField(label="开户银行", max_length=60, required=False)
    account_status = forms.ChoiceField(label="账户状态", choices=[("", "（不变）"), *AccountStatus.choices], required=False)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "（不变）"), *((v.code, v.name) for v in villages)]
        _bootstrap(self)


class CompareForm(forms.Form):
    file = UploadField(label="待比对名单（.xlsx / .xls / .csv，须有“姓名”“身份证号码”列，可有“银行账号”“村(社区)”列）")
    township = forms.ChoiceField(label="所属乡镇", required=False)

    def __init__(self, *args, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [("", "（不限）"), *((t.code, t.name) for t in townships)]


class ReferenceForm(forms.Form):
    dataset = forms.ChoiceField(label="数据集", choices=DatasetKind.choices)
    source_agency = forms.CharField(label="提供单位", max_length=60, help_text="如：民政局、公安局、人力资源和社会保障局")
    as_of = forms.DateField(label="数据截止日期")
    file = UploadField(label="数据文件（.xlsx / .xls / .csv）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class CardFollowUpForm(forms.Form):
    contacted_on = forms.DateField(label="联系日期", initial=dt.date.today, widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.ChoiceField(label="结果", choices=FollowUpResult.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AccountChangeForm(forms.Form):
    kind = forms.ChoiceField(label="账户类型", choices=AccountKind.choices[:3])
    bank = forms.CharField(label="开户银行", max_length=60)
    account_no = forms.CharField(label="新账号", max_length=40)
    holder_name = forms.CharField(label="账户户名", max_length=100, required=False, help_text="不填则为本人姓名")
    reason = forms.CharField(label="变更原因", max_length=200)
    effective_date = forms.DateField(label="生效日期", initial=dt.date.today,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    attachment = forms.FileField(label="附件（申请表、新卡复印件，PDF/JPG/PNG，可不传）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "批准"), ("refuse", "不予批准")])
    reason = forms.CharField(label="审核意见", max_length=200, required=False)
