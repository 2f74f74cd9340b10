"""Refusals of the register with stable codes (messages in Chinese, looked up by code).
The rate limits of personal-data lookups keep their codes in registry.lookups."""
from yikatong.core.refusals import Refusal, register_messages

register_messages({
    # role and region (registry.permissions, the API)
    "REGISTRY_ROLE_NOT_ALLOWED": "您的角色无权{what}",
    "REGISTRY_REGION_NOT_IN_SCOPE": "不能{what}本辖区以外的数据",
    "PERSON_NOT_IN_SCOPE": "没有这个人员，或不在您的辖区",
    "REGISTER_IMPORT_NOT_IN_SCOPE": "没有这次导入，或不在您的辖区",
    "PERSON_ACCOUNT_NOT_FOUND": "没有这个账户",
    "REVEAL_FIELD_UNKNOWN": "无效的字段",
    # comparison (复核比对)
    "COMPARE_NO_SCOPE": "您没有可比对的辖区",
    "COMPARE_TOO_MANY_ROWS": "一次最多比对{limit}行，请分批提交",
    # uploads and reference datasets
    "REGISTER_UPLOAD_TOO_LARGE": "文件太大（超过{limit_mb}MB），请拆分后分批导入",
    "REFERENCE_DATASET_UNKNOWN": "未知的数据集",
    "REFERENCE_AGENCY_REQUIRED": "请填写提供数据的单位",
    "REFERENCE_FILE_REFUSED": "未导入，请修改后重新上传",  # the file's errors, by row, follow
    "REFERENCE_FILE_EMPTY": "文件中没有数据行",
    "REGISTER_IMPORT_REGION_LEVEL": "底册按乡镇(街道)或县(市、区)导入，请选择乡镇或县",
    # life events (registry.services.people)
    "LIFE_EVENT_SOURCE_REQUIRED": "请填写信息来源（如：民政办死亡证明、派出所迁移证明、银行挂失补卡回执）",
    "LIFE_EVENT_FUTURE_DATE": "生效日期不能晚于今天",
    "LIFE_EVENT_ACCOUNT_INVALID": "{problem}",
    "LIFE_EVENT_ACCOUNT_STATUS_INVALID": "此人没有当前账户，或账户状态无效",
    "LIFE_EVENT_KIND_UNKNOWN": "不支持的变动事项",
    "LIFE_EVENT_NO_CHANGE": "登记的内容与底册现有信息相同，没有变化",
    # the API (registry.api) and the background reference load (registry.tasks)
    "REFERENCE_KIND_UNKNOWN": "未知的共享比对数据类型“{kind}”（可选：{kinds}）",
    "REFERENCE_JOB_FILE_REFUSED": "共享比对数据文件未导入：发现 {count} 处问题，例如：{first}",
    # social-security cards: follow-ups (registry.services.cards)
    "CARD_NO_ACCOUNT": "此人没有当前账户，请先登记账户",
    "CARD_FOLLOWUP_FUTURE_DATE": "联系日期不能晚于今天",
    "CARD_FOLLOWUP_RESULT_UNKNOWN": "无效的跟进结果",
    "CARD_FOLLOWUP_NOTE_REQUIRED": "结果为“其他”时请填写说明",
    "CARD_LIST_TOWNSHIP_REQUIRED": "请选择乡镇（township：乡镇的12位区划代码）",
    # account change requests (registry.services.account_changes, registry.account_flow)
    "ACCOUNT_CHANGE_NOT_IN_SCOPE": "没有这条账户变更申请，或不在您的辖区",
    "ACCOUNT_CHANGE_ACCOUNT_INVALID": "新账号有误：{problem}",
    "ACCOUNT_CHANGE_SAME_ACCOUNT": "新账号与当前账户相同",
    "ACCOUNT_CHANGE_BANK_REQUIRED": "请填写开户银行",
    "ACCOUNT_CHANGE_REASON_REQUIRED": "请填写变更原因",
    "ACCOUNT_CHANGE_PENDING_EXISTS": "此人已有一条未办结的账户变更申请（#{pk}），请等待审核或生效",
    "ACCOUNT_CHANGE_PERSON_INACTIVE": "人员状态为“{status}”，不能变更收款账户",
    "ACCOUNT_CHANGE_FOUR_EYES": "账户变更申请须由申请人以外的人员审核（您是申请人）",
    "ACCOUNT_CHANGE_NOT_DUE": "账户变更申请 #{pk} 的生效日期 {date} 未到",
    "ACCOUNT_CHANGE_OLD_ACCOUNT_CHANGED": "申请提交后此人的账户已发生变化，请重新申请",
    "ACCOUNT_CHANGE_NO_ATTACHMENT": "此申请没有附件",
    "ACCOUNT_CHANGE_ATTACHMENT_TYPE": "附件“{name}”不是 PDF、JPG 或 PNG 文件（按文件内容判断，不看扩展名）",
}, conflicts={  # refused for the person's or the request's current state: the API answers 409
    "ACCOUNT_CHANGE_PERSON_INACTIVE", "ACCOUNT_CHANGE_PENDING_EXISTS",
})


class AccountChangeRefused(Refusal):
    """A refused step of an account change request (the state engine sets http_status)."""

    default_code = "ACCOUNT_CHANGE_REFUSED"


class RegistryNotFound(Refusal):
    """No such object in the actor's scope: the API answers 404 with the code."""

    default_code = "PERSON_NOT_IN_SCOPE"
    http_status = 404
