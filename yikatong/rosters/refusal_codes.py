"""Stable codes of the refusals of the batch transition guards and the notice (公示) services, with
their Chinese messages (core.refusals). The engine's own codes (TRANSITION_NOT_ALLOWED,
ROLE_NOT_ALLOWED, OUT_OF_SCOPE, WRONG_DEPARTMENT, REASON_REQUIRED, CONCURRENT_CHANGE, SYSTEM_ONLY)
are registered by core.statemachine."""
from yikatong.core.refusals import register_messages

MESSAGES = {
    # guards of the transition table (rosters.guards)
    "NO_ACTIVE_ITEMS": "批次 {batch} 没有有效明细，不能提交",
    "COMPARE_MISSING": "还有 {count} 条明细未做复核比对",
    "COMPARE_BLOCKED": "{count} 条明细比对不通过（已死亡或单位代码无效），请剔除或更正：{names}",
    "NOTICE_NOT_RECORDED": "尚未登记公示情况（公示时间、地点、监督电话和照片）",
    "NOTICE_LEVEL_MISSING": "按本地规定须同时进行{levels}，尚未登记{missing}",
    "NOTICE_PROOF_MISSING": "{level}缺少公示照片或证明材料",
    "NOTICE_NOT_READ_AT_ASSEMBLY": "按本地规定，公示名单须在群众大会上宣读，请登记{level}的宣读情况",
    "NOTICE_NOT_OVER": "{level}公示期至 {end} 结束，期满后（{after} 起）方可确认",
    "NOTICE_TOO_SHORT": "{level}公示时间 {days} 个工作日，少于规定的 {minimum} 个工作日",
    "NOTICE_BACKDATED": "公示开始日期 {start} 早于批次进入公示环节的日期 {entered}，公示不能倒签",
    "NOTICE_PHONE_REQUIRED": "请填写公示的监督电话（举报电话）",
    "OBJECTIONS_OPEN": "还有 {count} 条公示异议未处理",
    "SUMMARY_MISSING": "请先上传签字盖章的汇总表扫描件",
    "QUOTA_INSUFFICIENT": "资金指标余额不足：本批次 {total} 元，可用 {available} 元",
    "POLICY_NOT_PAYABLE": "{detail}",
    # notice (公示) registration (rosters.services.record_notice)
    "NOT_IN_NOTICE": "批次 {batch} 不在公示阶段",
    "NOTICE_LEVEL_INVALID": "公示层级不正确（应为村级公示或乡镇公示）",
    "NOTICE_LEVEL_RECORDED": "本轮公示已登记过{level}，不能重复登记",
    "NOTICE_PLACE_REQUIRED": "请填写公示地点",
    "NOTICE_PHONE_INVALID": "监督电话“{phone}”格式不正确（应为 7 至 20 位数字，可含区号连字符）",
    "NOTICE_DAYS_INVALID": "公示工作日数须为 1 至 60 之间的整数",
    "NOTICE_PROOF_FOREIGN": "公示证明材料不属于本批次",
    "NOTICE_MISSING_FOR_OBJECTION": "请先登记公示，再登记异议",
}

register_messages(MESSAGES)
