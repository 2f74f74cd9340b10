"""Stable codes of the refusals of the payment leg's batch guards and of the payment-order state
machine, with their Chinese messages (core.refusals). The engine's own codes are registered by
core.statemachine."""
from yikatong.core.refusals import register_messages

MESSAGES = {
    # guards of the batch transition table registered by payments.guards
    "ORDER_NOT_RELEASED": "请在“资金支付”中由国库科对本批次的支付申请办理支付",
    "PAYMENT_BANNED": "{detail}",
    "NOT_REISSUE": "只有补发批次可以不经公示直接提交财政复核",
    "FAILURES_UNSETTLED": "还有 {count} 笔发放失败的明细既未补发成功也未核销",
    # payment orders (payments.flow, payments.orders)
    "ORDER_BATCH_NOT_PAYABLE": "批次 {batch} 当前为“{state}”，不能支付",
    "ORDER_BATCH_NOT_APPROVED": "批次 {batch} 尚未通过财政审核（或已在支付中），不能生成支付申请",
    "ORDER_EXISTS": "批次 {batch} 已有支付申请",
    "PAYMENT_FILE_SENT": "代发文件 {filename} 已发送过，不得重复发送",
    "ORDER_NOT_REJECTED": "支付申请 {batch_no} 未被银行拒收，不能重发",
    "REJECTION_UNCONFIRMED": "支付申请 {batch_no} 的整批拒收尚未由财政业务科室与银行核实，不能重发",
    "ORDER_ALREADY_REPLACED": "支付申请 {batch_no} 已重新生成过",
    "REJECTION_NOTE_REQUIRED": "支付申请 {batch_no}：请填写核实方式（如致电银行的经办人和时间）",
    "REJECTION_NOT_TO_CONFIRM": "支付申请 {batch_no} 未被银行拒收，无需核实",
    "REJECTION_CONFIRMED": "支付申请 {batch_no} 的拒收已于 {at} 核实过",
}

register_messages(MESSAGES)
