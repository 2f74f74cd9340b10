from django.urls import path

from . import views, views_cards, views_county, views_export, views_missing

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("new/", views.batch_create, name="batch_create"),
    path("county/", views_county.county_roster, name="county_roster"),
    path("profile/", views.profile_view, name="rosters_profile"),
    path("missing/", views_missing.missing_list, name="rosters_missing"),
    path("missing/export/", views_missing.missing_export, name="rosters_missing_export"),
    path("<int:batch_id>/", views.batch_detail, name="batch_detail"),
    path("<int:batch_id>/do/<str:action>/", views.batch_transition, name="batch_transition"),
    path("<int:batch_id>/import/", views.batch_import, name="batch_import"),
    path("imports/<int:run_id>/", views.import_result, name="import_result"),
    path("imports/<int:run_id>/problems.xlsx", views.import_problems_xlsx, name="import_problems_xlsx"),
    path("<int:batch_id>/items/add/", views.item_add, name="item_add"),
    path("<int:batch_id>/items/<int:item_id>/remove/", views.item_remove, name="item_remove"),
    path("<int:batch_id>/items/edit/", views.item_edit, name="item_edit"),
    path("<int:batch_id>/notice/", views.notice_record, name="notice_record"),
    path("<int:batch_id>/notice/<int:notice_id>/assembly/", views.notice_assembly_record, name="notice_assembly_record"),
    path("<int:batch_id>/notice/post-payment/", views.post_payment_notice_record, name="post_payment_notice_record"),
    path("<int:batch_id>/objections/", views.objection_record, name="objection_record"),
    path("<int:batch_id>/objections/<int:objection_id>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("<int:batch_id>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:batch_id>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("<int:batch_id>/template.xlsx", views_export.template, name="batch_template"),
    path("<int:batch_id>/roster.xlsx", views_export.roster, name="batch_roster_xlsx"),
    path("<int:batch_id>/summary.xlsx", views_export.summary, name="batch_summary_xlsx"),
    path("<int:batch_id>/print/<str:what>/", views_export.printable, name="batch_print"),
    path("<int:batch_id>/cards/", views_cards.batch_cards, name="batch_cards"),
    path("<int:batch_id>/cards.xlsx", views_cards.batch_cards_xlsx, name="batch_cards_xlsx"),
]
