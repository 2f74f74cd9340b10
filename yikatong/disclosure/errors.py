"""Refusals of the public half with stable codes (messages in Chinese, looked up by code)."""
from yikatong.core.refusals import Refusal, register_messages


class DisclosureError(Refusal):
    default_code = "DISCLOSURE_REFUSED"


register_messages({
    "DISCLOSURE_REFUSED": "操作未能完成",
})

# -- complaints (投诉/举报/咨询) --
register_messages({
    "COMPLAINT_KIND_UNKNOWN": "请选择反映类型（举报、投诉或咨询）",
    "COMPLAINT_TEXT_REQUIRED": "请填写反映的内容（不超过 2000 字）",
    "COMPLAINT_REGION_UNKNOWN": "请选择所在乡镇或村（社区）",
    "COMPLAINT_POLICY_UNKNOWN": "所选补贴政策不存在或未公开",
    "COMPLAINT_CONTACT_REQUIRED": "投诉和咨询请留下联系人和联系电话，以便答复；举报可以匿名",
    "COMPLAINT_PHONE_INVALID": "联系电话格式不正确",
    "COMPLAINT_RATE_LIMITED": "提交或查询过于频繁，请稍后再试",
    "COMPLAINT_NOT_FOUND": "受理编号或查询码不正确",
    "COMPLAINT_HANDLER_ROLE": "您的角色不能办理投诉举报",
    "COMPLAINT_REPLY_REQUIRED": "请填写答复内容",
})
