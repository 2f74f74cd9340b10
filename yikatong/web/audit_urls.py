from django.urls import path

from . import audit_views as views

urlpatterns = [
    path("", views.event_list, name="audit_events"),
    path("verify/", views.verify_start, name="audit_verify"),
]
