"""Refusals of the public half with stable codes (messages in Chinese, looked up by code)."""
from yikatong.core.refusals import Refusal, register_messages


class DisclosureError(Refusal):
    default_code = "DISCLOSURE_REFUSED"


register_messages({
    "DISCLOSURE_REFUSED": "操作未能完成",
})
