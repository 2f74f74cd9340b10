"""Staff pages of the disclosure app (login), mounted at /disclosure/."""
from django.urls import path  # noqa: F401

from . import views_complaints_staff

urlpatterns: list = []

# -- complaints (投诉/举报/咨询) --
urlpatterns += [
    path("complaints/", views_complaints_staff.complaints, name="disclosure_complaints"),
    path("complaints/<int:pk>/", views_complaints_staff.complaint_detail, name="disclosure_complaint"),
    path("complaints/<int:pk>/assign/", views_complaints_staff.complaint_assign, name="disclosure_complaint_assign"),
    path("complaints/<int:pk>/reply/", views_complaints_staff.complaint_reply, name="disclosure_complaint_reply"),
]
