"""Refusals of the cross-checks with stable codes (messages in Chinese, looked up by code)."""
from django.core.exceptions import PermissionDenied

from yikatong.core.refusals import Refusal, register_messages

register_messages({
    "FOUR_EYES_MAKER": "您导入或修改过批次 {batch} 的清册，不能排除其阻断级疑点（四眼原则），请由主管部门其他人员处理",
    "FOUR_EYES_SAME_PERSON": "排除该阻断级疑点由您提出，须由主管部门负责人中的另一人复核确认（四眼原则）",
    "FOUR_EYES_ROLE": "阻断级疑点只能由批次主管部门（{department}）的审核员或负责人提出排除",
    "FOUR_EYES_HEAD_ONLY": "排除阻断级疑点须由批次主管部门（{department}）的负责人复核确认",
    "FINDING_NOT_PENDING": "该疑点当前为“{state}”，没有待复核的排除申请",
    "CLEAR_REVIEW_NOTE_REQUIRED": "退回排除申请须填写理由",
})


class DisposeRefused(Refusal, PermissionDenied):
    """A disposition refused by role, scope or the four-eyes rule (a PermissionDenied with a code)."""

    default_code = "DISPOSE_REFUSED"
