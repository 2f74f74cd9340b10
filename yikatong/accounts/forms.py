from django import forms
from django.conf import settings

from yikatong.core.refusals import invalid

from . import errors  # noqa: F401  (registers the refusal messages)
from .models import TokenScope
from .passwords import help_text


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput)
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password"].help_text = help_text() + "；修改后，您的全部 API 令牌将自动作废"

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            refusal = invalid("PASSWORD_CONFIRM_MISMATCH")
            self.refusal_code = refusal.code  # shown as data-code, as the view does for a service refusal
            raise refusal
        return data


class TotpForm(forms.Form):
    code = forms.CharField(label="6位动态口令", max_length=6, min_length=6)


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌用途", max_length=100)
    scope = forms.ChoiceField(label="权限范围", choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.IntegerField(label="有效天数", min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.YKT_TOKEN_DEFAULT_DAYS
        self.fields["days"].help_text = f"1至{settings.YKT_TOKEN_MAX_DAYS}天，到期自动失效"
