from django.urls import path

from . import views

urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("new/", views.application_create, name="application_create"),
    path("<int:application_id>/", views.application_detail, name="application_detail"),
    path("<int:application_id>/village-review/", views.application_village_review, name="application_village_review"),
    path("<int:application_id>/do/<str:action>/", views.application_transition, name="application_transition"),
    path("pull/<int:batch_id>/", views.application_pull, name="application_pull"),
]
