"""Refusals of clue follow-up and supervision downloads with stable codes (messages in Chinese,
looked up by code)."""
from yikatong.core.refusals import Refusal, register_messages

register_messages({
    "SUPERVISION_READ_ROLE": "只有审计/纪检/监管人员或财政部门可以查看监督检查数据",
    "CLUE_FOLLOW_UP_ROLE": "只有审计/纪检/监管人员可以跟进线索",
    "CLUE_NOT_IN_SCOPE": "线索 {case_no} 不在您的辖区内",
    "CLUE_STATE_NOT_ALLOWED": "线索 {case_no} 当前为“{state}”，不能{action}",
    "CLUE_NOTE_EMPTY": "跟进记录不能为空",
    "CLUE_CONCLUSION_INVALID": "核查结论只能是“属实”或“不属实”",
    "CLUE_CONCLUSION_TEXT_REQUIRED": "办结必须填写结论说明",
    "CLUE_FINDING_WITHOUT_BATCH": "疑点 #{finding} 不属于任何批次，无法确定移送的县区",
    "EVIDENCE_DOWNLOAD_ROLE": "只有审计/纪检/监管人员可以下载处置依据",
    "CLUE_SOURCE_TRANSFERRED": "{source} 已移送过线索",
    # inspections (抽查)
    "INSPECTION_ROLE": "只有审计/纪检/监管人员或财政部门可以办理抽查",
    "INSPECTION_NOT_IN_SCOPE": "{what}不在您的辖区内",
    "INSPECTION_REGION_UNKNOWN": "没有区划代码为 {region} 的行政区划",
    "INSPECTION_POLICY_UNKNOWN": "所选补贴项目不存在",
    "INSPECTION_PERIOD_INVALID": "抽查期间格式应为 2026-11、2026Q3 或 2026",
    "INSPECTION_METHOD_INVALID": "请选择抽查方式：电话抽查、实地入户走访或查阅资料",
    "INSPECTION_SAMPLING_INVALID": "抽样方法只能是简单随机抽样或按风险加权抽样",
    "INSPECTION_SIZE_INVALID": "样本量应为 1 至 {limit} 之间的整数",
    "INSPECTION_SEED_INVALID": "随机种子应为 0 至 {limit} 之间的整数",
    "INSPECTION_POPULATION_EMPTY": "抽查计划 {plan} 的范围和期间内没有已审核或已发放的明细，无法抽取样本",
    "INSPECTION_PLAN_NOT_IN_PROGRESS": "抽查计划 {plan} 当前为“{state}”，不能登记核查结果（须先开始核查）",
    "INSPECTION_RESULT_EXISTS": "样本 #{rank} 已登记过核查结果",
    "INSPECTION_METHOD_NOT_IN_PLAN": "抽查计划 {plan} 的抽查方式不包括“{method}”",
    "INSPECTION_OUTCOME_INVALID": "核查结果只能是相符、不相符或联系不上",
    "INSPECTION_NOTES_REQUIRED": "核查结果为“不相符”时必须填写情况说明",
    "INSPECTION_NOT_DRAWN": "抽查计划 {plan} 尚未抽取样本",
    "INSPECTION_RESULTS_MISSING": "抽查计划 {plan} 还有 {missing} 个样本未登记核查结果",
}, conflicts={  # refused for the object's current state: the API answers 409
    "CLUE_STATE_NOT_ALLOWED", "CLUE_SOURCE_TRANSFERRED", "INSPECTION_POPULATION_EMPTY",
    "INSPECTION_PLAN_NOT_IN_PROGRESS", "INSPECTION_RESULT_EXISTS", "INSPECTION_RESULTS_MISSING",
})


class InspectionRefused(Refusal):
    """A refused step of an inspection plan's state machine (core.statemachine)."""

    default_code = "INSPECTION_REFUSED"
