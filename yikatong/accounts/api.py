from ninja import File, Router, Schema, UploadedFile

from . import selectors, tokens

router = Router(tags=["用户"])


class MeOut(Schema):
    username: str
    full_name: str
    organization: str | None
    region_code: str | None
    region_name: str | None
    roles: list[str]


@router.get("/me", response=MeOut, summary="当前用户")
def me(request):
    user = request.user
    org = user.organization
    return {
        "username": user.username,
        "full_name": user.full_name,
        "organization": org.name if org else None,
        "region_code": org.region_id if org else None,
        "region_name": org.region.name if org else None,
        "roles": sorted(user.role_set),
    }


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    created_at: str
    expires_at: str
    last_used_at: str | None
    state: str


def _token_out(t) -> dict:
    return {
        "id": t.pk, "name": t.name, "prefix": t.prefix, "scope": t.scope,
        "created_at": t.created_at.isoformat(), "expires_at": t.expires_at.isoformat(),
        "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None, "state": t.state_label,
    }


@router.get("/tokens", response=list[TokenOut], summary="我的 API 令牌")
def my_tokens(request):
    return [_token_out(t) for t in selectors.tokens_of(request.user)]


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="作废我的 API 令牌",
             description="只能作废自己的令牌；他人的或不存在的令牌一律回答 403 TOKEN_NOT_YOURS。")
def revoke_token(request, token_id: int):
    return _token_out(tokens.revoke_api_token(user=request.user, token_id=token_id))


# --- user administration (system admins of a region; supervisors read) ----------------------------

class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    region_code: str


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    organization: OrgOut | None
    roles: list[str]
    active: bool
    totp_enabled: bool
    locked: bool
    must_change_password: bool
    phone: str  # masked
    initial_password: str | None = None  # only in the answer that created the user without one


def _user_out(u, initial_password: str | None = None) -> dict:
    from django.utils import timezone

    org = u.organization
    now = timezone.now()
    return {
        "id": u.pk, "username": u.username, "full_name": u.full_name,
        "organization": {"id": org.pk, "code": org.code, "name": org.name, "kind": org.kind,
                         "region_code": org.region_id} if org else None,
        "roles": sorted(u.role_set), "active": u.is_active, "totp_enabled": u.totp_enabled,
        "locked": bool((u.locked_until and u.locked_until > now) or (u.totp_locked_until and u.totp_locked_until > now)),
        "must_change_password": u.must_change_password, "phone": u.phone_masked,
        "initial_password": initial_password,
    }


@router.get("/users", response=list[UserOut], summary="用户列表",
            description="系统管理员和监督人员看到本辖区（区划代码前缀）内的用户；其他角色得到空列表。"
                        "`q` 按用户名或姓名筛选；每次最多 `limit` 条（最大 500）。")
def users(request, q: str = "", limit: int = 200, offset: int = 0):
    from django.db.models import Q

    qs = selectors.users_for(request.user)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    limit = max(1, min(limit, 500))
    return [_user_out(u) for u in qs[max(0, offset):max(0, offset) + limit]]


class UserIn(Schema):
    username: str
    role: str
    region_code: str
    policy_code: str | None = None
    full_name: str = ""
    phone: str = ""


@router.post("/users", response=UserOut, summary="新建或更新用户",
             description="与 `yikatong users add` 相同：授予角色，归入该角色在该区划的单位（没有则新建）。"
                         "只有系统管理员可以操作，且只能在本辖区内（403 USER_ADMIN_ONLY、USER_ORG_NOT_IN_SCOPE）。"
                         "新用户的初始密码只在这次回答中出现一次（首次登录须修改）。")
def user_add(request, body: UserIn):
    from .provisioning import user_provision

    user, generated = user_provision(actor=request.user, username=body.username.strip(), role=body.role,
                                     region_code=body.region_code, policy_code=body.policy_code or None,
                                     full_name=body.full_name.strip(), phone=body.phone.strip())
    return _user_out(user, generated)


@router.post("/users/import", response=list[UserOut], summary="批量导入用户（Excel）",
             description="multipart 字段 file：与用户页面的“批量导入”和 `yikatong users import` 相同的表格"
                         "（用户名、姓名、角色、区划代码、政策代码、手机）；全部成功才导入，错误注明行号。"
                         "新用户的初始密码只在这次回答中出现一次。")
def users_import(request, file: UploadedFile = File(...)):
    from yikatong.core import uploads

    from .provisioning import users_import as import_users

    done = import_users(actor=request.user, data=uploads.read(request, file, "users"),
                        filename=file.name or "users.xlsx")
    return [_user_out(user, generated) for user, generated in done]


class UserChangeIn(Schema):
    roles: list[str] | None = None
    organization_id: int | None = None
    active: bool | None = None
    reset_second_factor: bool = False


@router.post("/users/{user_id}", response=UserOut, summary="修改用户",
             description="系统管理员修改本辖区用户：角色（整组替换）、所属单位、启用或停用、重置动态口令。"
                         "辖区外的用户回答 404 NOT_FOUND；非系统管理员 403 USER_ADMIN_ONLY。")
def user_change(request, user_id: int, body: UserChangeIn):
    from django.shortcuts import get_object_or_404

    from yikatong.core.refusals import invalid

    from .models import Organization
    from .services import user_update

    target = get_object_or_404(selectors.users_for(request.user), pk=user_id)
    organization = None
    if body.organization_id is not None:
        organization = Organization.objects.filter(pk=body.organization_id).first()
        if organization is None:
            raise invalid("USER_ORG_NOT_FOUND", organization=body.organization_id)
    user = user_update(actor=request.user, user=target, roles=body.roles, organization=organization,
                       active=body.active, reset_second_factor=body.reset_second_factor)
    return _user_out(user)


class OrgTreeOut(Schema):
    region_code: str
    region_name: str
    region_level: int
    organizations: list[dict]


@router.get("/organizations", response=list[OrgTreeOut], summary="单位与区划",
            description="本辖区的区划 → 单位 → 用户数（启用/全部）；系统管理员和监督人员可用，其他角色得到空列表。")
def organizations(request):
    return [{"region_code": node["region"].code, "region_name": node["region"].name,
             "region_level": node["region"].level,
             "organizations": [{"id": o.pk, "code": o.code, "name": o.name, "kind": o.kind, "active": o.is_active,
                                "users_active": o.users_active, "users_total": o.users_total}
                               for o in node["organizations"]]}
            for node in selectors.organization_tree(request.user)]
