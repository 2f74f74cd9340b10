"""Forms of the application pages: the village clerk's new application and the village review."""
import datetime

from django import forms

from yikatong.core.money import Money, MoneyError
from yikatong.core.refusals import invalid
from yikatong.policies.forms import BootstrapMixin

from . import errors  # noqa: F401  (registers the messages)


class ApplicationForm(BootstrapMixin, forms.Form):
    policy = forms.TypedChoiceField(label="补贴项目", coerce=int)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    village = forms.ChoiceField(label="村(社区)")
    name = forms.CharField(label="申请人姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=30)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    bank_name = forms.CharField(label="开户银行", max_length=60, required=False)
    account_no = forms.CharField(label="社会保障卡金融账号", max_length=40)
    amount_yuan = forms.CharField(label="申请金额（元）", required=False, help_text="按标准发放的不填")

    def __init__(self, *args, policies=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = list(policies)
        self.fields["village"].choices = list(villages)
        self.fields["year"].initial = datetime.date.today().year
        self._style()

    def clean_amount_yuan(self):
        text = (self.cleaned_data.get("amount_yuan") or "").strip()
        if not text:
            return None
        try:
            return Money.parse(text).fen
        except (MoneyError, TypeError):
            raise invalid("APPLICATION_AMOUNT_UNREADABLE", text=text) from None


class ReviewForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label="评议日期", widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.IntegerField(label="参加人数", min_value=1)
    votes_for = forms.IntegerField(label="赞成票", min_value=0)
    votes_against = forms.IntegerField(label="反对票", min_value=0)
    minutes = forms.CharField(label="评议记录", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
