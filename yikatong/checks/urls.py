from django.urls import path

from . import views, views_rules

urlpatterns = [
    path("", views.findings, name="checks_findings"),
    path("findings/<int:finding_id>/dispose/", views.finding_dispose, name="checks_finding_dispose"),
    path("findings/<int:finding_id>/review/", views.finding_review, name="checks_finding_review"),
    path("rules/", views_rules.rules, name="checks_rules"),
    path("rules/settings/", views_rules.rule_setting_set, name="checks_rule_setting_set"),
]
