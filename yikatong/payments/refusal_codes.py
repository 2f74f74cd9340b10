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
}

register_messages(MESSAGES)
