from django.urls import path

from .views import catalogues, changes, policies

urlpatterns = [
    path("", catalogues.catalogue_list, name="policy_catalogues"),
    path("new/", catalogues.catalogue_create, name="policy_catalogue_create"),
    path("<int:pk>/", catalogues.catalogue_detail, name="policy_catalogue"),
    path("<int:pk>/do/<str:action>/", catalogues.catalogue_transition, name="policy_catalogue_transition"),
    path("<int:pk>/diff/", catalogues.catalogue_diff, name="policy_catalogue_diff"),
    path("<int:pk>/add/", policies.policy_add, name="policy_add"),
    path("item/<int:pk>/", policies.policy_detail, name="policy_detail"),
    path("item/<int:pk>/edit/", policies.policy_edit, name="policy_edit"),
    path("item/<int:pk>/remove/", policies.policy_remove, name="policy_remove"),
    path("basis/<int:pk>/upload/", policies.basis_upload, name="policy_basis_upload"),
    path("basis/<int:pk>/file/", policies.basis_file, name="policy_basis_file"),
    path("changes/", changes.change_list, name="policy_changes"),
    path("changes/new/<int:catalogue_pk>/", changes.change_create, name="policy_change_create"),
    path("changes/<int:pk>/", changes.change_detail, name="policy_change"),
    path("changes/<int:pk>/decide/", changes.change_decide, name="policy_change_decide"),
    path("changes/<int:pk>/attachment/", changes.change_attachment, name="policy_change_attachment"),
]
