from django.urls import path

from . import views

urlpatterns = [
    path("", views.order_list, name="payments_orders"),
    path("new/", views.order_create, name="payments_order_create"),
    path("collect/", views.collect, name="payments_collect"),
    path("reconciliation/", views.reconciliation, name="payments_reconciliation"),
    path("sms/", views.sms_outbox, name="payments_sms"),
    path("batch/<int:batch_id>/failures/", views.batch_failures, name="payments_failures"),
    path("batch/<int:batch_id>/reissue/", views.batch_reissue, name="payments_reissue"),
    path("<int:pk>/", views.order_detail, name="payments_order"),
    path("<int:pk>/release/", views.order_release, name="payments_order_release"),
    path("<int:pk>/send/", views.order_send, name="payments_order_send"),
    path("<int:pk>/resend/", views.order_resend, name="payments_order_resend"),
    path("<int:pk>/file/", views.order_file, name="payments_order_file"),
]
