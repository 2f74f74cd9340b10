from django import forms


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput, help_text="至少8位，不能全是数字")
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            raise forms.ValidationError("两次输入的新密码不一致")
        return data


class TotpForm(forms.Form):
    code = forms.CharField(label="6位动态口令", max_length=6, min_length=6)


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌用途", max_length=100)
