"""Refusals of the public half with stable codes (messages in Chinese, looked up by code)."""
from yikatong.core.refusals import Refusal, register_messages


class DisclosureError(Refusal):
    default_code = "DISCLOSURE_REFUSED"


register_messages({
    "DISCLOSURE_REFUSED": "操作未能完成",
})


# --- self-query (/public/query/, disclosure/query*.py) ---
class SelfQueryLimited(DisclosureError):
    """Too many self-queries from one client or for one ID number: HTTP 429."""

    default_code = "SELF_QUERY_RATE_LIMITED"
    http_status = 429


register_messages({
    "SELF_QUERY_RATE_LIMITED": "查询过于频繁：同一网络地址{window}内最多查询{limit}次，请稍后再试。",
    "SELF_QUERY_ID_RATE_LIMITED": "该身份证号码查询过于频繁：{window}内最多查询{limit}次，请稍后再试。",
    "SELF_QUERY_CHALLENGE": "请正确回答验证问题后再查询。",
    "SELF_QUERY_INVALID_ID": "身份证号码格式不正确，请核对后重新输入（18位，最后一位可能是X）。",
})
