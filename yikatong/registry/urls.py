from django.urls import path

from .views import account_changes, cards, compare, imports, people

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
    path("cards/", cards.cards, name="registry_cards"),
    path("cards/export/", cards.cards_export, name="registry_cards_export"),
    path("person/<int:person_id>/card-followup/", cards.card_followup, name="registry_card_followup"),
    path("person/<int:person_id>/accounts/", account_changes.account_history, name="registry_account_history"),
    path("person/<int:person_id>/account-change/", account_changes.account_change_new,
         name="registry_account_change_new"),
    path("account-changes/", account_changes.account_changes, name="registry_account_changes"),
    path("account-changes/<int:request_id>/", account_changes.account_change, name="registry_account_change"),
    path("account-changes/<int:request_id>/decide/", account_changes.account_change_decide,
         name="registry_account_change_decide"),
    path("account-changes/<int:request_id>/attachment/", account_changes.account_change_attachment,
         name="registry_account_change_attachment"),
]
