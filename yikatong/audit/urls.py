from django.urls import path

from . import views

urlpatterns = [
    path("", views.event_list, name="audit_events"),
    path("verify/", views.verify_start, name="audit_verify"),
]
