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
})


class RegistryNotFound(Refusal):
    """No such object in the actor's scope: the API answers 404 with the code."""

    default_code = "PERSON_NOT_IN_SCOPE"
    http_status = 404
