"""Public pages (no login) live under /public/. Each app contributes its own public_urls module;
every URL name here must also be on the allow-list in yikatong/accounts/public.py."""
from django.urls import include, path

urlpatterns = [
    path("policies/", include("yikatong.policies.public_urls")),
    path("", include("yikatong.disclosure.public_urls")),
]
