"""Login, logout, password change, two-factor, API tokens, user list. Thin: parse, call, render."""
import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from yikatong.core import crypto

from . import selectors, services
from .forms import LoginForm, PasswordChangeForm, TokenForm, TotpForm
from .models import User
from .roles import Role


def _safe_next(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or "/"
    return nxt if url_has_allowed_host_and_scheme(nxt, {request.get_host()}) else "/"


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is not None:
            login(request, user)
            return redirect(_safe_next(request))
        known = User.objects.filter(username=username).first()
        if known is not None and services.is_locked(known):
            error = "连续登录失败次数过多，账户已暂时锁定，请稍后再试或联系系统管理员。"
        else:
            error = "用户名或密码不正确。"
    return render(request, "accounts/login.html", {"form": form, "error": error, "next": _safe_next(request)})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.record_logout(user=request.user)
    logout(request)
    return redirect("login")


@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            for msg in exc.messages:
                form.add_error(None, msg)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def totp_setup_view(request):
    if request.user.totp_enabled and not request.session.get("otp_ok"):
        return redirect("totp_verify")  # replacing the authenticator needs the current one first
    form = TotpForm(request.POST or None)
    pending = request.session.get("totp_pending")
    if request.method == "POST" and form.is_valid() and pending:
        try:
            services.confirm_totp_enrolment(
                user=request.user, secret=crypto.decrypt(pending), code=form.cleaned_data["code"],
                second_factor_passed=bool(request.session.get("otp_ok")),
            )
        except ValidationError as exc:
            form.add_error("code", exc.messages[0])
        else:
            request.session["otp_ok"] = True
            request.session.pop("totp_pending", None)
            messages.success(request, "动态口令已启用。")
            return redirect("home")
    if request.method == "GET" or not pending:
        pending = crypto.encrypt(services.new_totp_secret())
        request.session["totp_pending"] = pending
    secret = crypto.decrypt(pending)
    uri = f"otpauth://totp/Yikatong:{request.user.username}?secret={secret}&issuer=Yikatong"
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4)
    return render(request, "accounts/totp_setup.html", {"form": form, "qr_svg": qr_svg, "secret": secret})


@require_http_methods(["GET", "POST"])
def totp_verify_view(request):
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_totp(user=request.user, code=form.cleaned_data["code"]):
            request.session["otp_ok"] = True
            return redirect(_safe_next(request))
        form.add_error("code", "动态口令不正确")
    return render(request, "accounts/totp_verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
def tokens_view(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token = services.issue_api_token(user=request.user, name=form.cleaned_data["name"])
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": selectors.tokens_of(request.user), "new_token": new_token}
    )


@require_POST
def token_revoke_view(request, token_id: int):
    services.revoke_api_token(user=request.user, token_id=token_id)
    messages.success(request, "令牌已作废。")
    return redirect("tokens")


def users_view(request):
    if not request.user.has_role(Role.SYSADMIN, Role.SUPERVISOR):
        return render(request, "web/forbidden.html", status=403)
    return render(request, "accounts/users.html", {
        "users": selectors.users_for(request.user)[:500],
        "is_admin": request.user.has_role(Role.SYSADMIN),
        "admin_actions": [("reset-password", "重置密码"), ("unlock", "解锁"), ("reset-2fa", "重置动态口令")],
    })


@require_POST
def user_admin_action(request, user_id: int, action: str):
    """System admin actions on a user of their subtree: reset password, unlock, reset TOTP."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404
    from django.utils.crypto import get_random_string

    if not request.user.has_role(Role.SYSADMIN):
        return render(request, "web/forbidden.html", status=403)
    target = get_object_or_404(selectors.users_for(request.user), pk=user_id)
    try:
        if action == "reset-password":
            temp = get_random_string(4, "ABCDEFGHJKLMNPQRSTUVWXYZ") + get_random_string(6, "23456789")
            services.reset_password(actor=request.user, user=target, new_password=temp)
            messages.success(request, f"{target.username} 的临时密码：{temp}（仅显示一次，首次登录须修改）")
        elif action == "unlock":
            services.unlock_user(actor=request.user, user=target)
            messages.success(request, f"{target.username} 已解除锁定。")
        elif action == "reset-2fa":
            services.reset_totp(actor=request.user, user=target)
            messages.success(request, f"{target.username} 的动态口令已重置，下次登录时重新绑定。")
        else:
            return render(request, "web/forbidden.html", status=404)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("users")
