"""Refusal codes of authentication, passwords and API tokens, with their Chinese messages."""
from yikatong.core.refusals import Refusal, register_messages

MESSAGES = {
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
}
register_messages(MESSAGES)

# HTTP status of each refusal when it reaches the API or a page.
STATUS = {"TOKEN_SCOPE": 403, "TOKEN_NOT_YOURS": 403}


class AccountRefusal(Refusal):
    default_code = "ACCOUNT_REFUSED"

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 400)
