"""Refusals of the public half with stable codes (messages in Chinese, looked up by code)."""
from yikatong.core.refusals import Refusal, register_messages


class DisclosureError(Refusal):
    default_code = "DISCLOSURE_REFUSED"


register_messages({
    "DISCLOSURE_REFUSED": "操作未能完成",
})


class DisclosureNotFound(DisclosureError):
    """No such object in the actor's scope: 404, never named."""

    default_code = "LIST_NOT_FOUND"
    http_status = 404


# --- publish: published lists (公示名单 / 发放结果公示) -------------------------------------------------
register_messages({
    "LIST_NOT_FOUND": "未找到该名单",
    "LIST_ROLE_NOT_ALLOWED": "只有政务公开管理员可以{what}",
    "LIST_KIND_INVALID": "名单类型无效",
    "LIST_POLICY_CONFIDENTIAL": "涉密项目的名单不得公开",
    "LIST_NO_NOTICE": "批次 {batch} 尚未登记公示，不能公开公示名单",
    "LIST_NOT_ANSWERED": "批次 {batch} 尚无银行回盘结果，不能公开发放结果",
    "LIST_EMPTY": "批次 {batch} 没有可公开的名单行",
    "LIST_UNCHANGED": "名单内容与已公开的第{version}版相同，无需重新公开",
    "LIST_WITHDRAW_REASON": "撤回名单必须填写理由",
}, conflicts={"LIST_UNCHANGED"})
