from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("account/password/", views.password_change_view, name="password_change"),
    path("account/2fa/setup/", views.totp_setup_view, name="totp_setup"),
    path("account/2fa/verify/", views.totp_verify_view, name="totp_verify"),
    path("account/tokens/", views.tokens_view, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("admin/users/", views.users_view, name="users"),
    path("admin/organizations/", views.organizations_view, name="organizations"),
    path("admin/users/import/", views.users_import_view, name="users_import"),
    path("admin/users/import/template/", views.users_import_template, name="users_import_template"),
    path("admin/users/<int:user_id>/<str:action>/", views.user_admin_action, name="user_admin_action"),
]
