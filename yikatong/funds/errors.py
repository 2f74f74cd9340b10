"""Refusals of quotas, allocations and commitments with stable codes (messages in Chinese,
looked up by code)."""
from yikatong.core.refusals import register_messages

register_messages({
    # amounts typed in yuan
    "FUND_AMOUNT_UNREADABLE": "{label}：{reason}",
    "FUND_AMOUNT_NOT_POSITIVE": "{label}必须大于0",
    "FUND_AMOUNT_INVALID": "金额必须是大于0的整数分（收到 {amount}）",
    # receiving a quota document
    "QUOTA_RECEIVE_NOT_MANAGER": "只有本级财政部门业务科室可以登记资金指标",
    "QUOTA_DOC_NUMBER_REQUIRED": "请填写指标文号",
    "QUOTA_LEVEL_REQUIRED": "请选择下达层级",
    "QUOTA_POLICY_NOT_IN_CATALOGUE": "补贴项目“{policy}”不在本地区{year}年的补贴政策清单中",
    "QUOTA_SOURCE_UNKNOWN": "未知的资金来源：{sources}",
    "QUOTA_AMOUNTS_INVALID": "各来源金额必须是不小于0的整数分",
    "QUOTA_AMOUNT_NOT_POSITIVE": "指标金额必须大于0",
    "QUOTA_AMOUNT_EMPTY": "指标金额必须大于0，请至少填写一项资金来源",
    "QUOTA_DOC_DUPLICATE": "文号“{doc_number}”的该项目指标已登记，请勿重复登记",
    # drawing on a quota
    "QUOTA_BALANCE_INSUFFICIENT": "指标余额不足：{quota} 可用余额 {balance}，本次需要 {amount}",
    "QUOTA_GIVE_BACK_EXCEEDS": "指标 {quota} 的变动金额超过了已记录的数额",
    # allocations
    "ALLOCATE_NOT_MANAGER": "只有指标所在地财政部门业务科室可以分配指标",
    "ALLOCATION_TARGET_ONE_OF": "请选择下达的区划或部门（二选一）",
    "ALLOCATION_TARGET_MISSING": "请选择下达的区划或部门",
    "ALLOCATION_TARGET_BOTH": "区划和部门只能选一个",
    "ALLOCATION_REGION_NOT_BELOW": "“{target}”不是“{region}”的下级区划",
    "ALLOCATION_ORG_NOT_LINE_DEPARTMENT": "只能下达给本级业务主管部门",
    "ALLOCATION_ISSUE_NOT_MANAGER": "只有指标所在地财政部门业务科室可以下达指标",
    "ALLOCATION_DOC_NUMBER_REQUIRED": "请填写下达文号",
    "ALLOCATION_NOT_PLANNED": "该分配已下达或已撤销",
    "ALLOCATION_CANCEL_NOT_MANAGER": "只有指标所在地财政部门业务科室可以撤销分配",
    "ALLOCATION_CANCEL_REASON_REQUIRED": "请填写撤销理由",
    "QUOTA_POLICY_UNKNOWN": "没有这项补贴政策，或您看不到它",
    "ALLOCATION_CANCEL_NOT_PLANNED": "只有待下达的分配可以撤销",
    # commitments (占用) under a business reference
    "COMMITMENT_REF_REQUIRED": "请提供业务编号",
    "COMMITMENT_AMOUNT_MISMATCH": "业务编号 {ref} 已在指标 {quota} 上占用 {committed}，金额不一致",
    "COMMITMENT_NOT_FOUND": "指标 {quota} 上没有业务编号为 {ref} 的占用",
    "COMMITMENT_OUTSTANDING_SHORT": "业务编号 {ref} 的未结金额不足 {amount}",
    "REF_AMOUNT_MISMATCH": "业务编号 {ref} 已占用指标，金额与本次不一致",
    "REF_NOT_COMMITTED": "没有业务编号为 {ref} 的指标占用",
    "REF_OUTSTANDING_SHORT": "业务编号 {ref} 未结金额 {outstanding}，不足 {amount}",
    "REF_RECOVERY_EXCEEDS_PAID": "业务编号 {ref} 已支付 {paid}，已追回 {recovered}，本次追回 {amount} 超过了已支付金额",
    "BATCH_QUOTA_INSUFFICIENT": "资金指标余额不足：批次 {batch} 需要 {needed}，可用 {available}",
}, conflicts={  # refused for the object's current state: the API answers 409
    "ALLOCATION_NOT_PLANNED", "ALLOCATION_CANCEL_NOT_PLANNED",
})
