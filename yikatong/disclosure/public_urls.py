"""Public pages of the disclosure app (no login), mounted at /public/. Every name here is also on the
public allow-list (yikatong/accounts/public.py)."""
from django.urls import path  # noqa: F401

from . import views_complaints_public

urlpatterns: list = []

# -- complaints (投诉/举报/咨询) --
urlpatterns += [
    path("complaints/new/", views_complaints_public.complaint_new, name="public_complaint_new"),
    path("complaints/track/", views_complaints_public.complaint_track, name="public_complaint_track"),
]
