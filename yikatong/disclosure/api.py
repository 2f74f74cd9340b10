"""JSON API of the disclosure app's staff operations (the public pages read no API: they are the public face)."""
from ninja import Router, Schema, Status

from yikatong.accounts.roles import Role
from yikatong.core.refusals import Forbidden

from . import publish, publish_selectors

router = Router(tags=["信息公开"])


# --- publish: published lists (公示名单 / 发放结果公示) -------------------------------------------------

class ListOut(Schema):
    id: int
    batch: str
    kind: str
    version: int
    state: str
    public_id: str
    title: str
    digest: str
    rows: int
    total_fen: int
    published_at: str
    withdraw_reason: str


class BatchListsOut(Schema):
    batch_id: int
    code: str
    policy: str
    period: str
    region: str
    confidential: bool
    lists: list[ListOut]


class PublishIn(Schema):
    kind: str


class WithdrawIn(Schema):
    reason: str


def _out(pl, code: str = "") -> dict:
    return {"id": pl.pk, "batch": code or pl.batch.code, "kind": pl.kind, "version": pl.version, "state": pl.state,
            "public_id": pl.public_id, "title": pl.title, "digest": pl.digest, "rows": pl.row_count,
            "total_fen": pl.total_fen, "published_at": pl.published_at.isoformat(),
            "withdraw_reason": pl.withdraw_reason}


@router.get("/lists", response=list[BatchListsOut], summary="辖区内的发放批次及其已公开名单（政务公开管理员）",
            operation_id="yikatong_disclosure_api_lists", url_name="disclosure_api_lists")
def lists(request, limit: int = 100, offset: int = 0):
    if not request.user.has_role(Role.DISCLOSURE_ADMIN):
        raise Forbidden("LIST_ROLE_NOT_ALLOWED", what="查看公开名单")
    batches = list(publish_selectors.staff_batches(request.user)[offset:offset + min(limit, 500)])
    by_batch = publish_selectors.staff_lists(b.pk for b in batches)
    return [{"batch_id": b.pk, "code": b.code, "policy": b.policy.name, "period": b.period, "region": b.region.name,
             "confidential": b.policy.confidential, "lists": [_out(pl, b.code) for pl in by_batch.get(b.pk, [])]}
            for b in batches]


@router.post("/lists/batches/{batch_id}/publish", response={201: ListOut},
             summary="公开批次的名单（kind：notice 公示名单 / result 发放结果公示）；内容未变返回 409",
             operation_id="yikatong_disclosure_api_list_publish", url_name="disclosure_api_list_publish")
def list_publish(request, batch_id: int, body: PublishIn):
    pl = publish.list_publish(actor=request.user, batch_id=batch_id, kind=body.kind)
    return Status(201, _out(pl))


@router.post("/lists/{list_id}/withdraw", response=ListOut, summary="撤回已公开的名单（须填写理由；撤回后仍可查，标注已撤回）",
             operation_id="yikatong_disclosure_api_list_withdraw", url_name="disclosure_api_list_withdraw")
def list_withdraw(request, list_id: int, body: WithdrawIn):
    return _out(publish.list_withdraw(actor=request.user, list_id=list_id, reason=body.reason))
