from django.urls import path

from . import views, views_dashboard, views_watch

urlpatterns = [
    path("", views.report_list, name="reports_list"),
    path("dashboard/", views_dashboard.dashboard, name="reports_dashboard"),
    path("shared-accounts/", views_watch.shared_accounts, name="reports_shared_accounts"),
    path("shared-accounts/export/", views_watch.shared_accounts_export, name="reports_shared_accounts_export"),
    path("person-year/", views_watch.person_year, name="reports_person_year"),
    path("build/", views.report_build, name="reports_build"),
    path("<int:pk>/", views.report_detail, name="reports_detail"),
    path("<int:pk>/remarks/", views.report_remarks, name="reports_remarks"),
    path("<int:pk>/export/xlsx/", views.report_xlsx, name="reports_xlsx"),
    path("<int:pk>/export/print/", views.report_print, name="reports_print"),
    path("<int:pk>/<str:action>/", views.report_transition, name="reports_transition"),
]
