"""Public policy pages, mounted at /public/policies/. Every name here is on the public allow-list."""
from django.urls import path

from .views import public

urlpatterns = [
    path("", public.index, name="public_policy_index"),
    path("<str:region_code>/", public.policy_list, name="public_policy_list"),
    path("<str:region_code>/export.xlsx", public.policy_export, name="public_policy_export"),
    path("<str:region_code>/<str:code>/", public.policy_detail, name="public_policy_detail"),
    path("<str:region_code>/<str:code>/basis/<int:pk>/", public.basis_file, name="public_policy_basis"),
]
