"""Staff pages of the disclosure app (login), mounted at /disclosure/."""
from django.urls import path

from . import views_complaints_staff, views_staff_lists

urlpatterns: list = [
    # --- publish: published lists (公示名单 / 发放结果公示) ---
    path("lists/", views_staff_lists.batch_lists, name="disclosure_lists"),
    path("lists/batch/<int:batch_id>/publish/", views_staff_lists.list_publish, name="disclosure_list_publish"),
    path("lists/<int:list_id>/withdraw/", views_staff_lists.list_withdraw, name="disclosure_list_withdraw"),
]

# -- complaints (投诉/举报/咨询) --
urlpatterns += [
    path("complaints/", views_complaints_staff.complaints, name="disclosure_complaints"),
    path("complaints/<int:pk>/", views_complaints_staff.complaint_detail, name="disclosure_complaint"),
    path("complaints/<int:pk>/assign/", views_complaints_staff.complaint_assign, name="disclosure_complaint_assign"),
    path("complaints/<int:pk>/reply/", views_complaints_staff.complaint_reply, name="disclosure_complaint_reply"),
    path("complaints/<int:pk>/attachment/", views_complaints_staff.complaint_attachment,
         name="disclosure_complaint_attachment"),
    path("complaints/<int:pk>/finding/", views_complaints_staff.complaint_open_finding,
         name="disclosure_complaint_open_finding"),
    path("complaints/<int:pk>/clue/", views_complaints_staff.complaint_transfer_clue,
         name="disclosure_complaint_transfer_clue"),
]
