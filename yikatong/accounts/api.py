from ninja import Router, Schema

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
