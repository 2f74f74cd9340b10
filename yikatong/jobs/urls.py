from django.urls import path

from . import views

urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("schedules/", views.schedule_list, name="schedules"),
    path("<int:job_id>/", views.job_detail, name="job_detail"),
    path("<int:job_id>/progress/", views.job_progress, name="job_progress"),
]
