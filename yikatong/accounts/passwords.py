"""Password rules: Django's validators (settings.AUTH_PASSWORD_VALIDATORS) on every user-facing
path that sets a password. Demo and test fixtures create users in code with `set_password`."""
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from .errors import AccountRefusal


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule; its Chinese catalogue lacks the plural message, so ours says it."""

    def get_error_message(self):
        return f"密码太短，至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符。"


def check_new_password(password: str, user) -> None:
    """Refuse a password that breaks a rule (PASSWORD_REJECTED; params `rules` has Django's codes).
    `user` carries the username and full name the password must not resemble."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        reasons = "；".join(exc.messages)
        raise AccountRefusal(
            "PASSWORD_REJECTED", reasons=reasons, rules=sorted({e.code for e in exc.error_list if e.code})
        ) from exc


def help_text() -> str:
    return "；".join(password_validation.password_validators_help_texts())
