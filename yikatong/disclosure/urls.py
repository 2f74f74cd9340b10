"""Staff pages of the disclosure app (login), mounted at /disclosure/."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
