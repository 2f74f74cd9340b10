"""Staff pages of the disclosure app (login), mounted at /disclosure/."""
from django.urls import path

from . import views_staff_lists

urlpatterns: list = [
    # --- publish: published lists (公示名单 / 发放结果公示) ---
    path("lists/", views_staff_lists.batch_lists, name="disclosure_lists"),
    path("lists/batch/<int:batch_id>/publish/", views_staff_lists.list_publish, name="disclosure_list_publish"),
    path("lists/<int:list_id>/withdraw/", views_staff_lists.list_withdraw, name="disclosure_list_withdraw"),
]
