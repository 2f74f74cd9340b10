"""Production profile: secrets must come from the environment, HTTPS, 2FA for approving roles."""
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403

for _name in ("YKT_SECRET_KEY", "YKT_DATA_KEY", "DATABASE_URL"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {_name}")

DEBUG = False
YKT_REQUIRE_2FA = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("YKT_SSL_REDIRECT", "1") == "1"
# SECURE_PROXY_SSL_HEADER: only with YKT_PROXY_SSL_HEADER=1 behind a proxy that sets the header (base.py)
SECURE_HSTS_SECONDS = 31536000
SECURE_CONTENT_TYPE_NOSNIFF = True
# a new dict: never mutate the one shared with the base module
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = False
