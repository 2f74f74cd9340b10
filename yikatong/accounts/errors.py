"""Refusals of user and organization administration with stable codes (messages in Chinese,
looked up by code). Authentication, password and token refusals live in accounts.refusal_codes."""
from yikatong.core.refusals import register_messages

register_messages({
    "USER_ADMIN_ONLY": "只有系统管理员可以管理用户",
    "USER_ORG_NOT_IN_SCOPE": "不能管理本辖区以外的单位和用户",
    "PASSWORD_CONFIRM_MISMATCH": "两次输入的新密码不一致",
})
