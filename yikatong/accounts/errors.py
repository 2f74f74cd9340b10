"""Refusal catalogue of user provisioning (accounts.provisioning); the login, password and token codes
are in accounts.refusal_codes."""
from yikatong.core.refusals import register_messages

register_messages({
    "USER_REGION_UNKNOWN": "区划代码“{region}”不存在",
    "USER_ROLE_REGION_LEVEL": "角色“{role}”的单位设在{level}，区划代码“{region}”不是{level}",
    "USER_POLICY_REQUIRED": "角色“{role}”须指定政策代码（--policy），以确定所属主管部门",
    "USER_POLICY_UNKNOWN": "政策“{policy}”在区划“{region}”没有主管部门（未公布或不可发放）",
    "USER_NOT_FOUND": "用户“{username}”不存在",
})
