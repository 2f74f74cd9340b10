"""The refusals of the rosters app and their catalogue: every stable refusal code of rosters with its
Chinese message template (core.refusals). One place, registered on import (every module that
raises or answers one of these codes imports this module).

The state engine's own codes (TRANSITION_NOT_ALLOWED, ROLE_NOT_ALLOWED, OUT_OF_SCOPE,
WRONG_DEPARTMENT, REASON_REQUIRED, CONCURRENT_CHANGE, SYSTEM_ONLY) are registered by
core.statemachine. The importer's findings on rows of a roster (PAYEE_*, STANDARD_*, shown on the
import's problem list, not raised) stay with the importer (importer/payee.py, importer/standard.py).
"""
from yikatong.core.refusals import Refusal, register_messages


class RosterError(Refusal):
    """A refused roster operation; `code` is stable, the message is Chinese and names the batch/row."""

    default_code = "ROSTER_REFUSED"


class TransitionRefused(RosterError):
    default_code = "TRANSITION_REFUSED"


MESSAGES = {
    # guards of the transition table (rosters.guards)
    "NO_ACTIVE_ITEMS": "批次 {batch} 没有有效明细，不能提交",
    "COMPARE_MISSING": "还有 {count} 条明细未做复核比对",
    "COMPARE_BLOCKED": "{count} 条明细比对不通过（已死亡或单位代码无效），请剔除或更正：{names}",
    "NOTICE_NOT_RECORDED": "尚未登记公示情况（公示时间、地点、监督电话和照片）",
    "NOTICE_LEVEL_MISSING": "按本地规定须同时进行{levels}，尚未登记{missing}",
    "NOTICE_PROOF_MISSING": "{level}缺少公示照片或证明材料",
    "NOTICE_NOT_READ_AT_ASSEMBLY": "按本地规定，公示名单须在群众大会上宣读，请登记{level}的宣读情况（日期、地点、到会人数）",
    "NOTICE_BEFORE_IMPORT": "按本地规定，名单须先公示、后导入系统上报：本轮尚未登记公示，不能导入上报或审批",
    "POST_NOTICE_STATE": "批次 {batch} 尚未发放（银行回盘后才能登记发放后公示）",
    "POST_NOTICE_TOO_SHORT": "发放后公示 {days} 个工作日，少于本地规定的 {minimum} 个工作日",
    "POST_NOTICE_BEFORE_PAID": "发放后公示开始日期 {start} 早于银行回盘日期 {paid}",
    "POST_NOTICE_RECORDED": "批次 {batch} 的发放后公示已登记",
    "NOTICE_NOT_CURRENT": "该公示不是本批次本轮的公示，不能登记群众大会宣读",
    "NOTICE_ASSEMBLY_INCOMPLETE": "群众大会宣读须同时登记宣读日期、地点和到会人数（至少 1 人）",
    "NOTICE_ASSEMBLY_DATE": "宣读日期 {day} 不正确：不得早于公示开始日期 {start}，也不得晚于今天",
    "NOTICE_ASSEMBLY_RECORDED": "该公示已于 {day} 登记群众大会宣读，不得重复登记",
    "NOTICE_NOT_OVER": "{level}公示期至 {end} 结束，期满后（{after} 起）方可确认",
    "NOTICE_TOO_SHORT": "{level}公示时间 {days} 个工作日，少于规定的 {minimum} 个工作日",
    "NOTICE_BACKDATED": "公示开始日期 {start} 早于批次进入公示环节的日期 {entered}，公示不能倒签",
    "NOTICE_PHONE_REQUIRED": "请填写公示的监督电话（举报电话）",
    "OBJECTIONS_OPEN": "还有 {count} 条公示异议未处理",
    "SUMMARY_MISSING": "请先上传签字盖章的汇总表扫描件",
    "QUOTA_INSUFFICIENT": "资金指标余额不足：本批次 {total} 元，可用 {available} 元",
    "POLICY_NOT_PAYABLE": "{detail}",
    # four eyes (rosters.scope: the approver_not_maker guard)
    "FOUR_EYES_MAKER_APPROVE": "您导入或修改过批次 {batch} 的清册，不能审批该批次（四眼原则）",
    # role and scope (rosters.scope.ScopeRefused)
    "NOT_AUTHENTICATED": "请先登录",
    "ROLE_NOT_ALLOWED": "您的角色不能{what}",
    "READ_ONLY_ROLE": "您的角色只能查看，不能{what}",
    "NOT_IN_REGION": "批次 {batch} 不在您的辖区内，不能{what}",
    "NOT_OWNING_DEPARTMENT": "批次 {batch} 由{department}审核，您不是该部门人员，不能{what}",
    "NOT_OWN_STATION": "批次 {batch} 不是本站所编制的清册，不能{what}",
    "NOT_OWN_TOWNSHIP": "批次 {batch} 不属于本乡镇，不能{what}",
    # creating a batch (rosters.services.batch_create)
    "NO_REVIEWING_DEPARTMENT": "本县没有“{line}”条线的主管部门，无法确定审核部门，请联系系统管理员",
    "BATCH_CODE_EXHAUSTED": "无法生成批次号，请稍后再试",
    # items of a draft (rosters.services, rosters.views, importer.run)
    "BATCH_SUBMITTED_NO_EDIT": "批次 {batch} 已上报，不能修改明细",
    "BATCH_SUBMITTED_NO_IMPORT": "批次 {batch} 已上报，不能再导入或修改",
    "ROSTER_IMPORT_MODE_INVALID": "导入方式不正确",
    "ROSTER_IMPORT_FILE_REQUIRED": "请选择要导入的文件",
    "REISSUE_NO_NEW_ITEMS": "批次 {batch} 是补发批次，只能包含原批次发放失败的明细（可更正账号或户名），"
                            "不能{what}新的发放对象",
    "ITEM_REMOVE_REASON": "剔除明细须填写原因",
    "ITEM_ROW_INVALID": "{problems}",  # the importer's row messages of a hand-entered item, joined
    "ITEM_DUPLICATE_IN_BATCH": "{name} 已在本批次中，同一对象只能发放一次",
    "ITEM_EDIT_SEQ_INVALID": "请填写本批次有效明细的序号",
    "ITEM_EDIT_REASON": "修改明细须填写原因",
    "ITEM_EDIT_EMPTY": "请填写要修改的内容",
    "ITEM_NOT_ACTIVE": "第{seq}条明细已剔除，不能修改",
    "ITEM_EDIT_FIELD": "明细只能修改银行账号、账户户名、开户银行和发放金额，不能修改“{field}”（更换对象请剔除后重新录入）",
    "ITEM_ACCOUNT_INVALID": "{where}银行账号：{problem}",
    "ITEM_AMOUNT_INVALID": "{where}发放金额(元) {problem}",
    # notice (公示) registration (rosters.notices.notice_record)
    "NOT_IN_NOTICE": "批次 {batch} 不在公示阶段",
    "NOTICE_LEVEL_INVALID": "公示层级不正确（应为村级公示或乡镇公示）",
    "NOTICE_LEVEL_RECORDED": "本轮公示已登记过{level}，不能重复登记",
    "NOTICE_PLACE_REQUIRED": "请填写公示地点",
    "NOTICE_PHONE_INVALID": "监督电话“{phone}”格式不正确（应为 7 至 20 位数字，可含区号连字符）",
    "NOTICE_DAYS_INVALID": "公示工作日数须为 1 至 60 之间的整数",
    "NOTICE_PROOF_FOREIGN": "公示证明材料不属于本批次",
    "NOTICE_FORM_INCOMPLETE": "公示信息填写不完整：{problems}",
    # objections to a notice (rosters.services, rosters.views)
    "NOTICE_MISSING_FOR_OBJECTION": "请先登记公示，再登记异议",
    "OBJECTION_CONTENT_REQUIRED": "请填写反映内容",  # the field is labelled 反映内容
    "OBJECTION_ITEM_FOREIGN": "异议所指的明细不属于本批次",
    "OBJECTION_NOT_OF_BATCH": "异议不属于本批次",
    "OBJECTION_RESOLVED": "该异议已处理",
    "OBJECTION_RESOLUTION_REQUIRED": "请填写处理结果",
    "OBJECTION_SOURCE_REQUIRED": "网上公示异议须有受理编号",
    "OBJECTION_VIA_COMPLAINT": "该异议是群众网上反映的（受理编号 {number}），请在“投诉举报”中答复并办结，异议随之处理",
    # attachments (rosters.attachment_policy, rosters.services.attachment_add, rosters.views)
    "ATTACHMENT_KIND": "附件类型不正确",
    "ATTACHMENT_ROLE": "您的角色不能为批次上传“{kind}”",
    "ATTACHMENT_STATE": "批次 {batch} 当前为“{state}”，不能上传“{kind}”（{when}）",
    "ATTACHMENT_TOO_LARGE": "附件“{filename}”超过 {limit}",
    "ATTACHMENT_TYPE": "附件“{filename}”不是 PDF、JPG 或 PNG 文件（按文件内容判断，不看扩展名）",
    "ATTACHMENT_EMPTY": "附件“{filename}”是空文件",
    "ATTACHMENT_FORM_INCOMPLETE": "请选择材料类型和文件",
}

#: refused for the batch's (or objection's) current state, not for the input or who asks: the API
#: answers 409 (core.refusals.http_status); pages show them like any RosterError
STATE_CONFLICTS = frozenset({
    "BATCH_SUBMITTED_NO_EDIT", "BATCH_SUBMITTED_NO_IMPORT", "NOT_IN_NOTICE", "NOTICE_LEVEL_RECORDED",
    "NOTICE_MISSING_FOR_OBJECTION", "OBJECTION_RESOLVED", "OBJECTION_VIA_COMPLAINT", "ITEM_NOT_ACTIVE", "ATTACHMENT_STATE",
    "POST_NOTICE_STATE", "POST_NOTICE_RECORDED", "NOTICE_NOT_CURRENT", "NOTICE_ASSEMBLY_RECORDED",
})
register_messages(MESSAGES, conflicts=STATE_CONFLICTS)
# codes of the batch API's own input checks (rosters.api); REGION_UNKNOWN is the regions app's
register_messages({
    "POLICY_UNKNOWN": "补贴项目“{policy}”在 {year} 年本地区已公布的目录中不存在或不可发放",
})
# the commands (rosters/management/commands/batch.py)
register_messages({
    "BATCH_NOT_FOUND": "没有编号为 {batch} 的批次，或该批次不在您的辖区内",
    "ROSTER_NOT_IMPORTED": "清册未导入（批次 {batch}）：{message}",
    "CHECKS_UNAVAILABLE": "大数据比对功能未安装，不能运行比对",
    # county-wide rosters (rosters.county)
    "COUNTY_ROSTER_INVALID": "全县清册未导入，未生成任何批次：发现 {count} 处错误，例如：{first}",
    "COUNTY_ROSTER_REGION_LEVEL": "全县清册按县(市、区)拆分，“{region}”不是县级区划",
    "COUNTY_ROSTER_NOT_IN_SCOPE": "{region}不在您的辖区内（或您是乡镇用户），不能拆分全县清册",
    "COUNTY_ROSTER_TOWNSHIP_REFUSED": "{township}的清册未能导入（{message}），全县清册未导入，未生成任何批次",
    "COUNTY_ROSTER_FILE_REQUIRED": "请选择全县清册文件",
})
# 漏发 detection (rosters.missing)
register_messages({
    "MISSING_ROLE_NOT_ALLOWED": "只有主管部门、乡镇经办站所、乡镇财政所、财政业务科室和监管人员可以查看漏发比对",
    "MISSING_INPUT_REQUIRED": "请选择补贴项目并填写本期发放期间",
    "MISSING_POLICY_UNKNOWN": "您的辖区内没有补贴项目“{policy}”的发放批次",
    "MISSING_NO_CYCLE": "该补贴项目为一次性发放或期间“{period}”不属于其发放周期，没有“上期”可比",
})
