from django.urls import path

from . import views

urlpatterns = [
    path("", views.holiday_list, name="holidays"),
    path("set/", views.holiday_set, name="holiday_set"),
    path("<str:day>/delete/", views.holiday_delete, name="holiday_delete"),
]
