"""Public pages of the disclosure app (no login), mounted at /public/. Every name here is also on the
public allow-list (yikatong/accounts/public.py)."""
from django.urls import path

from . import views_query

urlpatterns: list = []

# --- self-query (本人发放查询), disclosure/query*.py ---
urlpatterns += [
    path("query/", views_query.query_page, name="public_self_query"),
]
