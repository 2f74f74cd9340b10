"""Public pages of the disclosure app (no login), mounted at /public/. Every name here is also on the
public allow-list (yikatong/accounts/public.py)."""
from django.urls import path

from . import views_complaints_public, views_public_lists, views_query

urlpatterns: list = [
    # --- publish: published lists (公示名单 / 发放结果公示) ---
    path("notices/list/<str:public_id>/", views_public_lists.list_detail, name="public_list_detail"),
    path("notices/<str:region_code>/", views_public_lists.region_lists, name="public_list_region"),
    # --- self-query (本人发放查询), disclosure/query*.py ---
    path("query/", views_query.query_page, name="public_self_query"),
    # --- complaints (投诉/举报/咨询) ---
    path("complaints/new/", views_complaints_public.complaint_new, name="public_complaint_new"),
    path("complaints/track/", views_complaints_public.complaint_track, name="public_complaint_track"),
    path("notices/list/<str:public_id>/objection/", views_complaints_public.list_objection,
         name="public_list_objection"),
]
