from django.urls import path

from .views import compare, imports, people

urlpatterns = [
    path("", people.search, name="registry_search"),
    path("person/<int:person_id>/", people.person, name="registry_person"),
    path("person/<int:person_id>/reveal/<str:field>/", people.reveal, name="registry_reveal"),
    path("person/<int:person_id>/event/", people.life_event, name="registry_life_event"),
    path("imports/", imports.imports, name="registry_imports"),
    path("imports/<int:import_id>/", imports.import_detail, name="registry_import"),
    path("imports/template/", imports.import_template, name="registry_import_template"),
    path("compare/", compare.compare, name="registry_compare"),
    path("reference/", compare.reference, name="registry_reference"),
]
