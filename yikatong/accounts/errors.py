"""Refusals of user and organization administration with stable codes (messages in Chinese,
looked up by code): administration and provisioning (accounts.provisioning, `yikatong users`).
Authentication, password and token refusals live in accounts.refusal_codes."""
from yikatong.core.refusals import register_messages

register_messages({
    "USER_ADMIN_ONLY": "只有系统管理员可以管理用户",
    "USER_ORG_NOT_IN_SCOPE": "不能管理本辖区以外的单位和用户",
    "PASSWORD_CONFIRM_MISMATCH": "两次输入的新密码不一致",
    "USER_REGION_UNKNOWN": "区划代码“{region}”不存在",
    "USER_ROLE_REGION_LEVEL": "角色“{role}”的单位设在{level}，区划代码“{region}”不是{level}",
    "USER_POLICY_REQUIRED": "角色“{role}”须指定政策代码（--policy），以确定所属主管部门",
    "USER_POLICY_UNKNOWN": "政策“{policy}”在区划“{region}”没有主管部门（未公布或不可发放）",
    "USER_NOT_FOUND": "用户“{username}”不存在",
})
