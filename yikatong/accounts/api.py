from ninja import Router, Schema

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
