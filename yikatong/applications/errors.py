"""The refusals of application intake (申请受理) and their catalogue: stable code -> Chinese message.
Registered on import; every module that raises one of these codes imports this module.

The state engine's own codes (TRANSITION_NOT_ALLOWED, ROLE_NOT_ALLOWED, OUT_OF_SCOPE,
REASON_REQUIRED, CONCURRENT_CHANGE) are registered by core.statemachine."""
from yikatong.core.refusals import Refusal, register_messages


class ApplicationRefused(Refusal):
    """A refused step of an application; `code` is stable, the message is Chinese."""

    default_code = "APPLICATION_REFUSED"


MESSAGES = {
    # submission (services.submit)
    "APPLICATION_POLICY_NOT_APPLICATION": "“{policy}”不是个人申请类项目，由乡镇编制发放清册，不受理个人申请",
    "APPLICATION_POLICY_UNKNOWN": "补贴项目“{policy}”在 {year} 年本地区已公布的清单中不存在",
    "APPLICATION_VILLAGE_INVALID": "请选择您辖区内的村(社区)",
    "APPLICATION_ID_INVALID": "身份证号码无效：{detail}",
    "APPLICATION_NAME_REQUIRED": "请填写申请人姓名",
    "APPLICATION_ACCOUNT_INVALID": "社会保障卡金融账号无效：{detail}",
    "APPLICATION_PHONE_INVALID": "联系电话无效：{detail}",
    "APPLICATION_AMOUNT_REQUIRED": "“{policy}”按档次发放，请填写申请金额",
    "APPLICATION_AMOUNT_INVALID": "申请金额必须大于0",
    "APPLICATION_AMOUNT_UNREADABLE": "申请金额“{text}”格式不正确，如 500 或 500.00",
    "APPLICATION_DUPLICATE": "{name}本年度已申请“{policy}”且尚在办理或已审批，不能重复申请",
    # village review (民主评议)
    "APPLICATION_REVIEW_REQUIRED": "“{policy}”须经村民主评议，请先登记民主评议情况",
    "APPLICATION_REVIEW_VOTES_INVALID": "民主评议的赞成票与反对票之和（{votes}）不能超过参加人数（{attendees}）",
    "APPLICATION_REVIEW_DATE_FUTURE": "民主评议日期 {held_on} 晚于今天",
    "APPLICATION_REVIEW_NOT_PASSED": "民主评议未获多数赞成（赞成 {votes_for}，反对 {votes_against}），请作不予通过处理并填写理由",
    # guards on current data
    "APPLICATION_ID_NOW_INVALID": "申请人的身份证号码校验不通过，请作不予通过处理",
    "FOUR_EYES_RECORDER_APPROVES": "您登记了该申请，不能审批该申请（四眼原则）",
    # pulling approved applications into a batch (pull.pull_approved)
    "APPLICATION_PULL_NOT_APPLICATION_POLICY": "批次 {batch} 的项目不是个人申请类项目，没有可纳入的申请",
    "APPLICATION_PULL_BATCH_CLOSED": "批次 {batch} 已提交或为补发批次，不能再纳入申请",
}
# refused for the current state (a duplicate open application, a batch that no longer takes items): 409
register_messages(MESSAGES, conflicts={
    "APPLICATION_DUPLICATE", "APPLICATION_PULL_NOT_APPLICATION_POLICY", "APPLICATION_PULL_BATCH_CLOSED",
})
