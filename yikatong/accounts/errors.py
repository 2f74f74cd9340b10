"""The refusals of the accounts app and their catalogue (core.refusals): authentication, passwords,
API tokens, user and organization administration and provisioning (`yikatong users`)."""
from yikatong.core.refusals import Refusal, register_messages

register_messages({
    # One answer for a wrong password, an unknown user and a locked account (see accounts.backends).
    "LOGIN_FAILED": "用户名或密码不正确。连续失败{threshold}次后账户将锁定{minutes}分钟；"
                    "如已锁定，请稍后再试或联系本单位系统管理员解锁。",
    "TOTP_INVALID": "动态口令不正确，请核对手机上的6位数字后重试。",
    "TOTP_REPLAYED": "这个动态口令已经使用过，请等待手机上出现新的6位数字后再试。",
    "TOTP_LOCKED": "动态口令连续错误次数过多，已锁定{minutes}分钟，请稍后再试或联系本单位系统管理员。",
    "TOTP_NOT_ENABLED": "尚未启用动态口令，请先绑定手机身份验证器。",
    "TOTP_REPLACE_NEEDS_CURRENT": "已启用动态口令，更换手机须先通过当前动态口令验证，或请管理员重置。",
    "PASSWORD_REJECTED": "密码不符合要求：{reasons}",
    "PASSWORD_OLD_WRONG": "原密码不正确。",
    "PASSWORD_UNCHANGED": "新密码不能与原密码相同。",
    "USERNAME_TAKEN": "用户名“{username}”已存在。",
    "ROLE_UNKNOWN": "未知角色：{roles}。",
    "USER_DEACTIVATE_SELF": "不能停用自己的账号。",
    "TOKEN_SCOPE": "此令牌为只读令牌，只能查询（GET），不能提交或修改数据；如需提交，请申请读写令牌。",
    "TOKEN_NOT_YOURS": "没有这个令牌，或它不属于您。",
    "TOKEN_LIFETIME": "令牌有效期须在1至{max_days}天之间。",
    "TOKEN_SCOPE_UNKNOWN": "未知的令牌权限范围：{scope}。",
    # administration and provisioning (accounts.services, accounts.provisioning)
    "USER_ADMIN_ONLY": "只有系统管理员可以管理用户",
    "USER_ORG_NOT_IN_SCOPE": "不能管理本辖区以外的单位和用户",
    "PASSWORD_CONFIRM_MISMATCH": "两次输入的新密码不一致",
    "USER_REGION_UNKNOWN": "区划代码“{region}”不存在",
    "USER_ROLE_REGION_LEVEL": "角色“{role}”的单位设在{level}，区划代码“{region}”不是{level}",
    "USER_POLICY_REQUIRED": "角色“{role}”须指定政策代码（--policy），以确定所属主管部门",
    "USER_POLICY_UNKNOWN": "政策“{policy}”在区划“{region}”没有主管部门（未公布或不可发放）",
    "USER_NOT_FOUND": "用户“{username}”不存在",
    "USER_PHONE_INVALID": "手机号“{phone}”不是有效的手机号码（11位）或固定电话",
    "USERS_IMPORT_ROWS": "用户导入未执行，没有做任何修改：共 {count} 处问题——{rows}",
    "USER_ROLES_EMPTY": "用户至少要有一个角色；不再使用的账号请停用",
    "USER_ADMIN_SELF_DEMOTE": "不能取消自己的系统管理员角色",
    "USER_ORG_NOT_FOUND": "单位“{organization}”不存在或不在本辖区",
})

# HTTP status of each refusal when it reaches the API or a page.
STATUS = {"TOKEN_SCOPE": 403, "TOKEN_NOT_YOURS": 403}


class AccountRefusal(Refusal):
    default_code = "ACCOUNT_REFUSED"

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 400)
