from django.urls import path

from . import views

urlpatterns = [
    path("", views.received_list, name="banksim_files"),
]
