"""Login, logout, password change, two-factor, API tokens, user list. Thin: parse, call, render."""
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from yikatong.core import crypto

from yikatong.core.refusals import message_for

from . import selectors, services
from .forms import LoginForm, PasswordChangeForm, TokenForm, TotpForm
from .errors import AccountRefusal
from .roles import Role


def _refused(request, exc: AccountRefusal):
    return render(request, "accounts/refused.html", {"refusal": exc}, status=exc.status)


def _safe_next(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or "/"
    return nxt if url_has_allowed_host_and_scheme(nxt, {request.get_host()}) else "/"


@require_http_methods(["GET", "POST"])
def login_view(request):
    """One answer for every failure — unknown user, wrong password, inactive or locked account
    (LOGIN_FAILED, same status and page); see accounts.backends for why."""
    form = LoginForm(request.POST or None)
    error_code = error = ""
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is not None:
            login(request, user)
            return redirect(_safe_next(request))
        error_code = "LOGIN_FAILED"
        error = message_for(error_code, threshold=settings.YKT_LOCKOUT_THRESHOLD, minutes=settings.YKT_LOCKOUT_MINUTES)
    return render(request, "accounts/login.html", {
        "form": form, "error": error, "error_code": error_code, "next": _safe_next(request),
    })


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.logout_record(user=request.user)
    logout(request)
    return redirect("login")


@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except AccountRefusal as exc:
            form.add_error(None, exc.message)
            form.refusal_code = exc.code
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
            services.totp_enrolment_confirm(
                user=request.user, secret=crypto.decrypt(pending), code=form.cleaned_data["code"],
                second_factor_passed=bool(request.session.get("otp_ok")),
            )
        except AccountRefusal as exc:
            form.add_error("code", exc.message)
            form.refusal_code = exc.code
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
        try:
            services.verify_second_factor(user=request.user, code=form.cleaned_data["code"])
        except AccountRefusal as exc:
            form.add_error("code", exc.message)
            form.refusal_code = exc.code
        else:
            request.session["otp_ok"] = True
            return redirect(_safe_next(request))
    return render(request, "accounts/totp_verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
def tokens_view(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token = services.issue_api_token(
                user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
            )
        except AccountRefusal as exc:
            form.add_error(None, exc.message)
            form.refusal_code = exc.code
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": selectors.tokens_of(request.user), "new_token": new_token}
    )


@require_POST
def token_revoke_view(request, token_id: int):
    try:
        services.revoke_api_token(user=request.user, token_id=token_id)
    except AccountRefusal as exc:
        return _refused(request, exc)
    messages.success(request, "令牌已作废。")
    return redirect("tokens")


def users_view(request):
    if not request.user.has_role(Role.SYSADMIN, Role.SUPERVISOR):
        raise PermissionDenied  # handler403 renders the 403 page (code FORBIDDEN)
    return render(request, "accounts/users.html", {
        "users": selectors.users_for(request.user)[:500],
        "is_admin": request.user.has_role(Role.SYSADMIN),
        "now": timezone.now(),
        "admin_actions": [("reset-password", "重置密码"), ("unlock", "解锁"), ("reset-2fa", "重置动态口令"),
                          ("deactivate", "停用")],
    })


@require_POST
def user_admin_action(request, user_id: int, action: str):
    """System admin actions on a user of their subtree: reset password, unlock, reset TOTP."""
    from django.shortcuts import get_object_or_404
    from django.utils.crypto import get_random_string

    if not request.user.has_role(Role.SYSADMIN):
        raise PermissionDenied  # handler403 renders the 403 page (code FORBIDDEN)
    target = get_object_or_404(selectors.users_for(request.user), pk=user_id)
    try:
        if action == "reset-password":
            temp = get_random_string(4, "ABCDEFGHJKLMNPQRSTUVWXYZ") + get_random_string(6, "23456789")
            services.password_reset(actor=request.user, user=target, new_password=temp)
            messages.success(request, f"{target.username} 的临时密码：{temp}（仅显示一次，首次登录须修改）")
        elif action == "unlock":
            services.user_unlock(actor=request.user, user=target)
            messages.success(request, f"{target.username} 已解除锁定。")
        elif action == "deactivate":
            services.user_deactivate(actor=request.user, user=target)
            messages.success(request, f"{target.username} 已停用，其 API 令牌已全部作废。")
        elif action == "reset-2fa":
            services.totp_reset(actor=request.user, user=target)
            messages.success(request, f"{target.username} 的动态口令已重置，下次登录时重新绑定。")
        else:
            raise Http404  # an action this page does not offer
    except (PermissionDenied, AccountRefusal) as exc:
        messages.error(request, str(exc))
    return redirect("users")


@require_POST
def users_import_view(request):
    """Bulk import from a spreadsheet (system admins, within their region): all or nothing."""
    from django.core.exceptions import ValidationError

    from yikatong.core import uploads
    from yikatong.core.refusals import Refusal, code_of

    from .provisioning import users_import

    if not request.user.has_role(Role.SYSADMIN):
        raise PermissionDenied  # handler403 renders the 403 page (code FORBIDDEN)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要导入的 Excel 文件。")
        return redirect("users")
    try:
        done = users_import(actor=request.user, data=uploads.read(request, upload, "users"), filename=upload.name)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages), extra_tags=code_of(exc))
    except (Refusal, PermissionDenied) as exc:
        messages.error(request, str(exc), extra_tags=code_of(exc, "FORBIDDEN"))
    else:
        created = [f"{u.username}：{p}" for u, p in done if p]
        text = f"已导入 {len(done)} 个用户。"
        if created:
            text += "新用户的初始密码（仅显示一次，首次登录须修改）：" + "；".join(created)
        messages.success(request, text)
    return redirect("users")


def users_import_template(request):
    from django.http import HttpResponse

    from .provisioning import import_template

    if not request.user.has_role(Role.SYSADMIN):
        raise PermissionDenied
    response = HttpResponse(import_template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E7%94%A8%E6%88%B7%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    return response


def organizations_view(request):
    """单位: regions → organizations → user counts, within the viewer's region (read only)."""
    if not request.user.has_role(Role.SYSADMIN, Role.SUPERVISOR):
        raise PermissionDenied  # handler403 renders the 403 page (code FORBIDDEN)
    return render(request, "accounts/organizations.html", {"tree": selectors.organization_tree(request.user)})
