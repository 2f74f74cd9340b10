"""Public pages of the disclosure app (no login), mounted at /public/. Every name here is also on the
public allow-list (yikatong/accounts/public.py)."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
