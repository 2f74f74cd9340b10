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
    # runs
    "SWEEP_NOT_ALLOWED": "您不能运行全量比对",
    "SWEEP_REGION_NOT_IN_SCOPE": "{region}不在您的辖区内，不能对其运行全量比对",
    "BATCH_CHECK_NOT_ALLOWED": "您不能对该批次运行比对",
    "SWEEP_ENGINE_UNKNOWN": "比对引擎只能是 db 或 duckdb",
    "SWEEP_YEAR_INVALID": "年度应为四位数字，如 2026",
    # dispositions
    "FINDING_NOT_IN_SCOPE": "没有这个疑点，或不在您的辖区",
    "FINDING_DECISION_UNKNOWN": "处置结论只能是“确认”“移送线索”或“排除”",
    "FINDING_CLEAR_REASON_REQUIRED": "排除疑点必须填写理由和依据",
    "FINDING_CLEAR_EVIDENCE_REQUIRED": "排除疑点必须提供依据：上传依据文件或填写依据说明",
    "FINDING_TRANSFER_REASON_REQUIRED": "移送线索必须填写移送理由",
    "FINDING_NOT_OPEN": "该疑点当前为“{state}”，不能再处置",
    # evidence files of a disposition (checks.evidence)
    "FINDING_EVIDENCE_TOO_MANY": "依据文件最多 {limit} 个，收到 {count} 个",
    "FINDING_EVIDENCE_EMPTY": "依据文件“{name}”是空文件",
    "FINDING_EVIDENCE_TOO_LARGE": "依据文件“{name}”超过 {limit_mb}MB",
    "FINDING_EVIDENCE_XLSX_REFUSED": "依据文件“{name}”：{problem}",
    "FINDING_EVIDENCE_TYPE_REFUSED": "依据文件“{name}”不是 PDF、JPG、PNG 或 XLSX 文件",
    # rule settings (checks.setting_services) and the rule catalogue
    "CHECK_RULES_READ_ROLE": "您的角色不能查看比对规则",
    "RULE_SETTING_ROLE": "只有财政业务科室或政策主管部门可以调整比对规则设置",
    "RULE_SETTING_REASON_REQUIRED": "请填写调整理由",
    "RULE_SETTING_TARGET_REQUIRED": "请指定区划或政策：规则的总体默认值由规则本身定义，不能在此调整",
    "CHECK_RULE_UNKNOWN": "没有代码为“{rule}”的比对规则",
    "RULE_SETTING_REGION_UNKNOWN": "没有代码为“{region}”的区划",
    "RULE_SETTING_POLICY_UNKNOWN": "没有代码为“{policy}”的政策",
    "RULE_SETTING_NOT_OWN_POLICY": "主管部门只能调整本部门政策的规则设置",
    "RULE_SETTING_NOT_IN_SCOPE": "该区划或政策不在您的辖区内",
    "RULE_PARAM_UNKNOWN": "规则“{rule}”没有参数“{key}”（可设参数：{allowed}）",
    "RULE_PARAM_NOT_BOOL": "规则“{rule}”的参数“{key}”应为是/否，不能是“{value}”",
    "RULE_PARAM_NOT_COUNT": "规则“{rule}”的参数“{key}”应为不小于0的整数，不能是“{value}”",
    "RULE_PARAM_WRONG_TYPE": "规则“{rule}”的参数“{key}”类型不对，应与默认值“{default}”相同",
    # several parameter problems at once: each one's message, joined
    "RULE_PARAMS_INVALID": "{problems}",
})

# manual findings (checks.manual): raised by a person, e.g. from a complaint (投诉举报)
register_messages({
    "MANUAL_FINDING_REASON_REQUIRED": "请填写登记疑点的理由（不超过 {limit} 字）",
    "MANUAL_FINDING_SOURCE_REQUIRED": "人工登记的疑点须注明来源（如投诉举报受理编号）",
    "MANUAL_FINDING_ITEM_NOT_ACTIVE": "批次 {batch} 第{seq}条明细已剔除，不能登记疑点",
    "MANUAL_FINDING_EXISTS": "已就{source}对批次 {batch} 第{seq}条明细登记过疑点",
    "MANUAL_RULE_NO_SETTING": "“群众投诉举报”不是比对规则，没有可调整的设置",
}, conflicts={"MANUAL_FINDING_ITEM_NOT_ACTIVE", "MANUAL_FINDING_EXISTS"})


class DisposeRefused(Refusal, PermissionDenied):
    """A disposition refused by role, scope or the four-eyes rule (a PermissionDenied with a code)."""

    default_code = "DISPOSE_REFUSED"


class FindingNotFound(Refusal):
    """No such finding in the actor's scope: the API answers 404 with the code."""

    default_code = "FINDING_NOT_IN_SCOPE"
    http_status = 404
