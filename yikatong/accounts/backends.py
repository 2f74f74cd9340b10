"""Authentication backend with lockout after repeated failures."""
from django.contrib.auth.backends import ModelBackend

from . import services
from .models import User


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # equalise timing with existing users
            return None
        if services.is_locked(user):
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            services.record_login_success(user=user)
            return user
        services.record_login_failure(user=user)
        return None
