from django.urls import path

from . import views, views_banks, views_payee, views_settle

urlpatterns = [
    path("", views.order_list, name="payments_orders"),
    path("new/", views.order_create, name="payments_order_create"),
    path("collect/", views.collect, name="payments_collect"),
    path("reconciliation/", views.reconciliation, name="payments_reconciliation"),
    path("sms/", views.sms_outbox, name="payments_sms"),
    path("batch/<int:batch_id>/failures/", views.batch_failures, name="payments_failures"),
    path("batch/<int:batch_id>/reissue/", views.batch_reissue, name="payments_reissue"),
    path("batch/<int:batch_id>/payee-fix/", views_payee.payee_fix, name="payee_fix"),
    path("<int:pk>/", views.order_detail, name="payments_order"),
    path("<int:pk>/release/", views.order_release, name="payments_order_release"),
    path("<int:pk>/send/", views.order_send, name="payments_order_send"),
    path("<int:pk>/resend/", views.order_resend, name="payments_order_resend"),
    path("<int:pk>/file/", views.order_file, name="payments_order_file"),
    path("<int:pk>/confirm-rejection/", views_settle.order_confirm_rejection, name="payments_order_confirm_rejection"),
    path("item/<int:pk>/write-off/", views_settle.item_write_off, name="payments_write_off"),
    path("batch/<int:batch_id>/notice/", views_settle.batch_notice, name="payments_notice"),
    path("clearing/", views_settle.clearing_list, name="payments_clearing"),
    path("clearing/<int:quota_id>/clear/", views_settle.clearing_clear, name="payments_clear"),
    path("bank/", views_settle.bank_orders, name="payments_bank_orders"),
    path("bank/upload/", views_settle.bank_result_upload, name="payments_bank_upload"),
    path("banks/", views_banks.bank_list, name="payments_banks"),
    path("banks/new/", views_banks.bank_create, name="payments_bank_create"),
    path("banks/agreements/new/", views_banks.agreement_create, name="payments_agreement_create"),
    path("agreements/<int:pk>/document/", views.agreement_document, name="payments_agreement_document"),
]
