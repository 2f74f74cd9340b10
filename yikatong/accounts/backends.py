"""Authentication backend with an atomic lockout that gives nothing away.

Every failure looks the same to the caller (the login page answers LOGIN_FAILED): an unknown
username, a wrong password, an inactive user and a locked account. Each of them runs the password
hasher once, so the answer also takes about as long. A locked account never has its password
checked — telling "locked" only after the right password would let an attacker keep guessing
through the lock — so the lock is announced to nobody; the message says that repeated failures
lock the account and how to get it unlocked (wait, or ask the system administrator)."""
from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from . import lockout, services
from .models import User


def _burn_hasher(password: str) -> None:
    User().set_password(password)  # the same work as checking a real password


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            _burn_hasher(password)
            return None
        attempt = lockout.claim(
            user.pk, lockout.LOGIN, threshold=settings.YKT_LOCKOUT_THRESHOLD, minutes=settings.YKT_LOCKOUT_MINUTES
        )
        if not attempt.allowed:
            _burn_hasher(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            services.login_success_record(user=user)
            return user
        services.login_failure_record(user=user, locked=attempt.locked_now)
        return None
