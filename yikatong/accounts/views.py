"""Login, logout, password change, two-factor, API tokens, user list. Thin: parse, call, render."""
import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

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
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_totp_enrolment(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.messages[0])
        else:
            request.session["otp_ok"] = True
            messages.success(request, "动态口令已启用。")
            return redirect("home")
    secret = request.session.get("totp_pending")
    if request.method == "GET" or not secret:
        secret = services.start_totp_enrolment(user=request.user)
        request.session["totp_pending"] = secret
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
    return render(request, "accounts/users.html", {"users": selectors.users_for(request.user)[:500]})
