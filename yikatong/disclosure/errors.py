"""Refusals of the public half with stable codes (messages in Chinese, looked up by code)."""
from django.core.exceptions import PermissionDenied

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
    "SELF_QUERY_SMS_RATE_LIMITED": "该身份证号码获取验证码过于频繁：{window}内最多{limit}次，请稍后再试。",
    "SELF_QUERY_CODE_WRONG": "验证码不正确，请核对短信后重新输入。",
    "SELF_QUERY_CODE_ATTEMPTS": "验证码已输错{attempts}次，请重新查询以获取新的验证码。",
    "SELF_QUERY_CODE_EXPIRED": "验证码已过期或已使用，请重新查询以获取新的验证码。",
})

# --- public list pages (/public/notices/…, disclosure/public_throttle.py) ---
class PublicListLimited(DisclosureError):
    """Too many public list pages from one client address: HTTP 429."""

    default_code = "PUBLIC_LIST_RATE_LIMITED"
    http_status = 429


register_messages({
    "PUBLIC_LIST_RATE_LIMITED": "访问过于频繁：同一网络地址{window}内最多打开{limit}个公示页面，请稍后再试。",
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


# -- complaints: a finding, a clue, an objection to a notice, the attachment (complaints_links, _objections) --
class ComplaintForbidden(DisclosureError, PermissionDenied):
    """Refused by role or routing (403)."""

    default_code = "COMPLAINT_NOT_HANDLER"


class ComplaintNotFound(DisclosureError):
    """No such item or attachment in the actor's scope: 404, never named."""

    default_code = "COMPLAINT_ITEM_NOT_FOUND"
    http_status = 404


register_messages({
    "COMPLAINT_NOT_HANDLER": "受理编号 {number} 不由您承办，不能{what}",
    "COMPLAINT_CLOSED": "受理编号 {number} 已办结，不能{what}",
    "COMPLAINT_FINDING_OPENED": "受理编号 {number} 已登记过疑点 #{finding}",
    "COMPLAINT_CLUE_TRANSFERRED": "受理编号 {number} 已移送线索 {case_no}",
    "COMPLAINT_CLUE_REASON_REQUIRED": "移送线索须填写移送理由",
    "COMPLAINT_ITEM_NOT_FOUND": "没有找到该发放明细（批次号、序号），或不在您的辖区",
    "COMPLAINT_NO_ATTACHMENT": "该投诉举报没有附件",
    "OBJECTION_NOTICE_OVER": "该名单的公示已结束，不再受理网上异议；如有意见请拨打监督电话或提交投诉举报",
}, conflicts={"COMPLAINT_CLOSED", "COMPLAINT_FINDING_OPENED", "COMPLAINT_CLUE_TRANSFERRED", "OBJECTION_NOTICE_OVER"})
