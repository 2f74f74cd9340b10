from django.urls import path

from . import views

urlpatterns = [
    path("", views.quota_list, name="fund_quotas"),
    path("new/", views.quota_create, name="fund_quota_create"),
    path("<int:pk>/", views.quota_detail, name="fund_quota"),
    path("<int:pk>/allocate/", views.allocate, name="fund_allocate"),
    path("allocations/<int:pk>/issue/", views.allocation_issue, name="fund_allocation_issue"),
    path("allocations/<int:pk>/cancel/", views.allocation_cancel, name="fund_allocation_cancel"),
]
