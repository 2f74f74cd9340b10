"""Refusals of clue follow-up and supervision downloads with stable codes (messages in Chinese,
looked up by code)."""
from yikatong.core.refusals import register_messages

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
}, conflicts={  # refused for the object's current state: the API answers 409
    "CLUE_STATE_NOT_ALLOWED", "CLUE_SOURCE_TRANSFERRED",
})
