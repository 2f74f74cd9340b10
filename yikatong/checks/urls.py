from django.urls import path

from . import views

urlpatterns = [
    path("", views.findings, name="checks_findings"),
    path("findings/<int:finding_id>/dispose/", views.finding_dispose, name="checks_finding_dispose"),
]
