"""The refusals of the payments app and their catalogue: every stable refusal code of the payment leg
(payment orders, bank file exchange, ingest of the bank's answers, reissue, write-off, year-end
clearing, payee corrections, the payment guards of the batch flow) with its Chinese message template
(core.refusals). One place, registered on import (every module that raises or answers one of these
codes imports this module). The state engine's own codes are registered by core.statemachine."""
from yikatong.core.refusals import Refusal, register_messages


class PaymentError(Refusal):
    """A refused payment operation; `code` is stable, the message is Chinese and names the order or item.
    A code of STATE_CONFLICTS refuses what the current state does not allow: the API answers it 409."""

    default_code = "PAYMENT_REFUSED"


class IngestRefused(PaymentError):
    """A bank answer Yikatong refuses to take (unknown batch, item or amount; bad MAC or totals)."""

    default_code = "INGEST_REFUSED"


#: refusals of an action the current state of the order, batch, line, quota or bank file does not allow:
#: the API answers 409 (registered as conflicts below, core.refusals.http_status); every other payment refusal is 400 (403 by role/scope)
STATE_CONFLICTS = frozenset({
    "ORDER_BATCH_NOT_PAYABLE", "ORDER_BATCH_NOT_APPROVED", "ORDER_EXISTS", "ORDER_QUOTA_CLEARED", "PAYMENT_FILE_SENT",
    "ORDER_NOT_REJECTED", "REJECTION_UNCONFIRMED", "ORDER_ALREADY_REPLACED", "REJECTION_NOT_TO_CONFIRM",
    "REJECTION_CONFIRMED", "PAYMENT_FILE_NOT_WRITTEN",
    "INGEST_REJECTION_AFTER_RESULT", "INGEST_RESULT_AFTER_CONFIRMED_REJECTION", "INGEST_ALREADY_ANSWERED",
    "INGEST_ORDER_NOT_SENT", "INGEST_ALREADY_PAID_ELSEWHERE", "INGEST_FILE_CONFLICT",
    "BANK_FILE_NAME_CONFLICT", "BANK_FILE_REPLAY", "BANK_FILE_CONCURRENT_CONFLICT",
    "PAYEE_FIX_AT_BANK", "PAYEE_FIX_STATE", "PAYEE_FIX_ACCOUNT",
    "REISSUE_NOT_PARTLY_FAILED", "REISSUE_NO_FAILURES", "WRITE_OFF_NOT_FAILED", "WRITE_OFF_REISSUED",
    "CLEARING_DONE_BEFORE", "CLEARING_YEAR_NOT_STARTED", "CLEARING_ORDERS_IN_FLIGHT",
    "BANK_CODE_TAKEN", "FUND_RETURN_NOT_ANSWERED", "FUND_RETURN_RECORDED", "FUND_RETURN_NOTHING_OWED",
    "SURVEY_RECORDED", "UPWARD_EXPORT_CONCURRENT",
})

MESSAGES = {
    # agent banks and agreements (payments.banks)
    "BANK_ORG_NOT_AGENT_BANK": "单位“{organization}”不是代发金融机构",
    "BANK_NAME_INVALID": "银行名称{problem}",
    "BANK_CODE_INVALID": "银行编码“{bank_code}”格式不正确，只能由 1–20 位字母或数字组成",
    "BANK_CODE_TAKEN": "银行编码“{bank_code}”已登记",
    "AGREEMENT_MAC_KEY_UNREADABLE": "MAC 密钥须为十六进制（如 00112233…）或 base64 编码",
    "AGREEMENT_PAYER_INVALID": "{label}{problem}",
    "AGREEMENT_MAC_KEY_SHORT": "MAC 密钥必须是至少 16 字节的二进制数据",
    "AGREEMENT_MAC_ALG_UNKNOWN": "不支持的 MAC 算法“{mac_alg}”",
    "AGREEMENT_DATES_INVALID": "失效日期不能早于生效日期",
    "ORDER_THREE_PARTY_MISSING": "本地要求代发银行在首次发放前签订财政—主管部门—银行三方代发协议：{bank} 与批次 {batch} "
                                 "的主管部门没有已上传签署文本的三方协议，不能生成或发送支付申请",
    "AGREEMENT_THREE_PARTY_REQUIRED": "本地要求签订三方代发协议：须指定业务主管部门并上传已签署的协议文本",
    # guards of the batch transition table registered by payments.guards
    "ORDER_NOT_RELEASED": "请在“资金支付”中由国库科对本批次的支付申请办理支付",
    "PAYMENT_BANNED": "{detail}",
    "NOT_REISSUE": "只有补发批次可以不经公示直接提交财政复核",
    "FAILURES_UNSETTLED": "还有 {count} 笔发放失败的明细既未补发成功也未核销",
    # payment claims: the effect of finance_approve (payments.claims)
    "DUPLICATE_PAYMENT": "{count} 名对象在{period}“{policy}”已有财政审核通过、在途或已发放的明细，不能重复发放：{items}",
    # payment orders (payments.flow, payments.orders)
    "ORDER_BATCH_NOT_PAYABLE": "批次 {batch} 当前为“{state}”，不能支付",
    "ORDER_BATCH_NOT_APPROVED": "批次 {batch} 尚未通过财政审核（或已在支付中），不能生成支付申请",
    "ORDER_EXISTS": "批次 {batch} 已有支付申请",
    "ORDER_BATCH_REQUIRED": "请选择发放批次",
    "ORDER_AGREEMENT_INVALID": "所选代发协议不存在、已失效或不属于本县本部门",
    "ORDER_AGREEMENT_AMBIGUOUS": "本县有效的代发协议不是恰好一份，请选择代发协议",
    "ORDER_AGREEMENT_MISSING": "本县没有有效的代发协议，请先登记",
    "ORDER_QUOTA_CLEARED": "批次 {batch} 的资金指标 {doc_number} 已办理 {year} 年终清算，结余已收回，不能再生成支付申请",
    "ORDER_NO_ACTIVE_ITEMS": "批次 {batch} 没有有效明细",
    "ORDER_TOTALS_MISMATCH": "批次 {batch} 的明细合计与批次汇总不符，请核查",
    "ORDER_ALL_HELD": "批次 {batch} 的 {held} 条有效明细均因疑点已确认或已移送线索而不予支付，不能生成支付申请",
    "ORDER_LINES_MISMATCH": "批次 {batch} 的支付明细与剔除疑点明细后的合计不符，请重试",
    "PAYMENT_FILE_SENT": "代发文件 {filename} 已发送过，不得重复发送",
    "ORDER_NOT_REJECTED": "支付申请 {batch_no} 未被银行拒收，不能重发",
    "REJECTION_UNCONFIRMED": "支付申请 {batch_no} 的整批拒收尚未由财政业务科室与银行核实，不能重发",
    "ORDER_ALREADY_REPLACED": "支付申请 {batch_no} 已重新生成过",
    "REJECTION_NOTE_REQUIRED": "支付申请 {batch_no}：请填写核实方式（如致电银行的经办人和时间）",
    "REJECTION_NOT_TO_CONFIRM": "支付申请 {batch_no} 未被银行拒收，无需核实",
    "REJECTION_CONFIRMED": "支付申请 {batch_no} 的拒收已于 {at} 核实过",
    # the outbound payment file (payments.orders.payment_file_download) and its delivery
    "PAYMENT_FILE_NOT_WRITTEN": "支付申请 {batch_no} 的代发文件尚未生成（国库科发送后才有代发文件）",
    "PAYMENT_FILE_NOT_ALLOWED": "只有国库科或该批次的代发金融机构可以下载代发文件",
    "ORDER_DELIVERY_FAILED": "代发文件未能送达银行，支付申请未作改动，请稍后重试或联系系统管理员",
    "PAYMENT_DATA_INVALID": "数据不能写入银行文件：{detail}",
    # agent banks, agreements and the archive of bank files (payments.exchange.services)
    "BANK_REGISTER_ADMIN_ONLY": "只有系统管理员可以登记代发银行和代发协议",
    "BANK_REGISTER_NOT_IN_REGION": "不能登记本辖区以外单位的代发银行或协议",
    "AGREEMENT_DOCUMENT_TYPE": "协议文本须为 PDF、JPG 或 PNG 文件（按文件内容判断，不看扩展名）",
    "AGREEMENT_DOCUMENT_TOO_LARGE": "协议文本超过 {limit}",
    "BANK_FILE_NAME_CONFLICT": "已保存过同名文件 {filename}，但内容不同：拒绝覆盖，请与银行核实",
    "BANK_FILE_REPLAY": "文件 {filename} 与已保存的 {other} 内容完全相同：疑似重放，拒绝保存",
    "BANK_FILE_CONCURRENT_CONFLICT": "文件 {filename} 与同时保存的另一文件冲突，请与银行核实",
    # the bank's answers (payments.ingest)
    "INGEST_NOT_ALLOWED": "您不能导入该批次的银行回盘",
    "INGEST_FILE_REQUIRED": "请选择银行回盘或拒收文件",
    # not a refusal: the answer to a file taken before (the same bytes under the same name), nothing changed
    "INGEST_REPLAYED": "文件 {filename} 此前已导入，未作改动",
    "INGEST_BAD_FILENAME": "“{filename}”不是银行回盘或拒收文件名（YKT1_银行编码_批次号_R/X.txt）",
    "INGEST_UNKNOWN_BATCH": "拒绝接收：批次号 {batch_no} 不是本系统发出的代发批次（文件 {filename}）",
    "INGEST_BANK_MISMATCH": "拒绝接收：文件 {filename} 的银行编码与批次 {batch_no} 的代发银行 {bank_code} 不一致",
    "INGEST_FILE_INVALID": "拒绝接收 {filename}：{detail}（{rejection}）",
    "INGEST_HEADER_BATCH_MISMATCH": "拒绝接收：回盘文件头的批次号 {header_batch_no} 与文件名不一致",
    "INGEST_ITEM_NOT_IN_BATCH": "拒绝接收：回盘第 {seq} 条明细（明细编号 {item_ref}）不在批次 {batch_no} 中",
    "INGEST_ITEM_REPEATED": "拒绝接收：回盘第 {seq} 条明细（明细编号 {item_ref}）在回盘中重复出现",
    "INGEST_ITEMS_INCOMPLETE": "拒绝接收：回盘 {answered} 笔，批次 {batch_no} 发出 {sent} 笔，明细不全",
    "INGEST_AMOUNT_MISMATCH": "拒绝接收：回盘第 {seq} 条明细（明细编号 {item_ref}）金额 {answered_fen} 分，"
                              "与发出的 {sent_fen} 分不符",
    "INGEST_ALREADY_PAID_ELSEWHERE": "拒绝接收 {filename}：回盘中有明细的原始发放对象已在其他批次发放成功"
                                     "（同一人同一期只能发放一次），批次 {batch_no} 未作改动，请与银行核实",
    "INGEST_REJECTION_BATCH_MISMATCH": "拒绝接收：拒收文件中的批次号 {batch_no} 与文件名不一致",
    # the same name with other bytes (or the same bytes under another name) as a file taken before
    "INGEST_FILE_CONFLICT": "拒绝接收 {filename}：{detail}（文件保留在收件箱中，请与银行核实）",
    # an X has no MAC: it cannot undo a result whose MAC was verified; kept as evidence
    "INGEST_REJECTION_AFTER_RESULT": "拒绝接收拒收文件 {filename}：批次 {batch_no} 已收到经 MAC 校验的银行回盘，"
                                     "未经认证的整批拒收不能推翻回盘；文件已留存备查，请与银行核实",
    "INGEST_RESULT_AFTER_CONFIRMED_REJECTION": "拒绝接收回盘 {filename}：批次 {batch_no} 的整批拒收已与银行核实，"
                                               "银行却又发来回盘，请立即与银行核实是否已付款",
    "INGEST_ALREADY_ANSWERED": "拒绝接收 {filename}：批次 {batch_no} 当前为“{state}”，不再接收回盘，请与银行核实",
    "INGEST_ORDER_NOT_SENT": "拒绝接收 {filename}：批次 {batch_no} 当前为“{state}”，代发文件尚未发送银行",
    "MAC_ALGORITHM_MISMATCH": "拒绝接收 {filename}：{detail}（代发协议约定 {agreed}）",
    # a rejected file's payee corrections (payments.rejections)
    "PAYEE_FIX_AT_BANK": "批次 {batch} 的代发文件 {batch_no} 已发送银行且未被拒收（或拒收尚未与银行核实），不能更正收款信息",
    "PAYEE_FIX_STATE": "批次 {batch} 当前不在待支付或支付中，收款信息请在清册中修改",
    "PAYEE_FIX_REASON": "更正收款信息须填写原因（如银行拒收说明）",
    "PAYEE_FIX_EMPTY": "请填写要更正的明细和更正后的内容",
    "PAYEE_FIX_UNKNOWN_ITEMS": "明细 {items} 不是批次 {batch} 的有效明细",
    "PAYEE_FIX_ACCOUNT": "批次 {batch} 已审核通过，只有在银行整批拒收且经财政业务科室核实后才能更正银行账号"
                         "（其他情况下请发放后按失败明细补发）",
    "PAYEE_FIX_BANNED": "更正后的收款信息违反“一卡通”发放禁止性规定",
    "PAYEE_FIX_FIELD": "明细 {item} 只能更正银行账号、账户户名、姓名或开户银行，不能更正“{field}”",
    "PAYEE_FIX_NO_ACCOUNT_CHANGE": "明细 {item} 的补贴对象没有已生效的账户变更（或新账户与明细账号相同），"
                                   "不能按底册新账户更正",
    "PAYEE_UNFIT_FOR_BANK": "批次 {batch} 有 {count} 条明细的收款信息不能写入银行代发文件，"
                            "请由经办站所更正后再生成或重发支付申请：{items}",
    # reissue (payments.reissue, the reissue guard in payments.reissue_guards)
    "REISSUE_NOT_FROM_ORIGIN": "补发批次 {batch} 的 {count} 条明细不是原批次 {parent} 发放失败的明细"
                               "（补发批次不能包含新的发放对象）：{items}",
    "REISSUE_PERSON_CHANGED": "补发批次 {batch} 的 {count} 条明细的证件号码与原失败明细不一致"
                              "（补发只能更正账号或户名）：{items}",
    "REISSUE_AMOUNT_ABOVE_ORIGIN": "补发批次 {batch} 的 {count} 条明细金额高于原失败明细：{items}",
    "REISSUE_ORIGIN_NOT_REPAYABLE": "补发批次 {batch} 的 {count} 条明细的原失败明细已核销或为重复明细（E08），"
                                    "不得补发：{items}",
    "REISSUE_NO_FAILURES": "批次 {batch} 没有可补发的失败明细（重复明细 E08 不得补发，须核查后核销）",
    "REISSUE_NOT_PARTLY_FAILED": "批次 {batch} 没有待补发的失败明细",
    "REISSUE_UNKNOWN_ITEMS": "更正的明细 {items} 不是本批次待补发的失败明细",
    "REISSUE_CORRECTION_FIELD": "明细 {item} 的更正只能是银行账号、账户户名、开户银行或（不高于原金额的）发放金额，"
                                "不能更正“{field}”",
    "REISSUE_ACCOUNT_INVALID": "明细 {item} 更正后的银行账号{problem}",
    "REISSUE_AMOUNT_INVALID": "明细 {item} 更正后的发放金额必须是大于 0 的整数“分”",
    # write-off of failed lines (payments.reissue.order_item_write_off)
    "WRITE_OFF_REASON_REQUIRED": "核销须填写原因",
    "WRITE_OFF_NOT_FAILED": "明细 {item} 不是待处理的失败明细",
    "WRITE_OFF_REISSUED": "明细 {item} 已补发，请在补发批次中处理",
    # failed funds returned through the original channel (payments.returns)
    "FUND_RETURN_ROLE_NOT_ALLOWED": "只有代发银行或财政业务科室可以登记失败资金退回",
    "FUND_RETURN_NOT_ANSWERED": "支付申请 {batch_no} 尚未回盘，没有可退回的失败资金",
    "FUND_RETURN_RECORDED": "支付申请 {batch_no} 的失败资金退回已登记，不得重复登记",
    "FUND_RETURN_NOTHING_OWED": "支付申请 {batch_no} 没有待退回的失败资金（失败明细均已补发）",
    "FUND_RETURN_AMOUNT_MISMATCH": "支付申请 {batch_no} 的退回金额 {amount}（{amount_fen} 分）与 {count} 笔未补发的失败明细"
                                   "合计 {owed}（{owed_fen} 分）不符，请与银行核对后重新登记",
    "FUND_RETURN_AMOUNT_INVALID": "退回金额“{amount}”不正确，请按元填写（最多两位小数）",
    "FUND_RETURN_DATE_INVALID": "退回日期 {day} 不正确：不得晚于今天，也不得早于回盘文件到达之日 {arrived}",
    "FUND_RETURN_RECEIPT_REQUIRED": "须上传银行退回回单",
    "FUND_RETURN_RECEIPT_TYPE": "退回回单只能是 PDF 或图片（JPG、PNG）",
    # the yearly survey of the agent banks' service (payments.surveys)
    "SURVEY_NOT_IN_PROFILE": "本地配置未要求开展代发银行满意度调查",
    "SURVEY_ROLE_NOT_ALLOWED": "只有财政业务科室可以登记代发银行满意度调查",
    "SURVEY_RECORDED": "{bank} {year} 年的满意度调查已登记，每家银行每年一次",
    "SURVEY_YEAR_INVALID": "调查年度 {year} 不正确（不得晚于本年度）",
    "SURVEY_FIGURES_INVALID": "参与人数须大于 0，满意人数不得超过参与人数，评分须在 0 至 100 之间",
    "SURVEY_BANK_REQUIRED": "请选择代发银行",
    "SURVEY_REPORT_TYPE": "调查报告只能是 PDF 或图片（JPG、PNG）",
    # the upward exchange (payments.upward, docs/exchange/upward.md)
    "UPWARD_ROLE_NOT_ALLOWED": "只有财政业务科室可以生成或下载上报数据文件（文件含完整身份证号码）",
    "UPWARD_OUT_OF_SCOPE": "{county}不在您的辖区内，不能生成或下载其上报数据文件",
    "UPWARD_PERIOD_INVALID": "支付月份“{period}”不正确：须为 YYYY-MM 格式，且不得晚于本月",
    "UPWARD_COUNTY_UNKNOWN": "没有区划代码为“{county}”的县（市、区）",
    "UPWARD_FORMAT_UNKNOWN": "不支持的文件格式“{fmt}”，只能是 csv 或 json",
    "UPWARD_EXPORT_CONCURRENT": "{county} {period} 的上报数据文件正由他人同时生成，请稍后刷新查看",
    # year-end clearing (payments.clearing)
    "CLEARING_ROLE_NOT_ALLOWED": "只有财政业务科室可以办理年终清算",
    "CLEARING_NOT_IN_PROFILE": "本地流程配置“{profile}”不实行年终清算，不能办理",
    "CLEARING_NOT_IN_REGION": "该指标不在您的辖区内，不能清算",
    "CLEARING_DONE_BEFORE": "指标 {doc_number}（{policy}，{year} 年）已于 {at} 由 {by} 清算，收回 {recovered}，不得重复清算",
    "CLEARING_YEAR_NOT_STARTED": "指标 {doc_number}（{policy}，{year} 年）的年度尚未开始，不能清算",
    "CLEARING_ORDERS_IN_FLIGHT": "指标 {doc_number}（{policy}，{year} 年）还有 {committed} 在途未结，不能清算：{listed}",
}

register_messages(MESSAGES, conflicts=STATE_CONFLICTS)
# the commands (payments/management/commands/bank.py)
register_messages({
    "ORDER_NOT_FOUND": "没有编号为 {order} 的支付申请，或该支付申请不在您的辖区内",
    # payments/management/commands/upward.py
    "UPWARD_EXPORT_NOT_FOUND": "没有编号为 {export} 的上报数据文件，或该文件不在您的辖区内",
})
