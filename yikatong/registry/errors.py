"""Refusal catalogue of the register (core.refusals): codes and their Chinese messages."""
from yikatong.core.refusals import register_messages

register_messages({
    "REFERENCE_KIND_UNKNOWN": "未知的共享比对数据类型“{kind}”（可选：{kinds}）",
    "REGION_UNKNOWN": "区划代码“{region}”不存在",
    "REFERENCE_FILE_REFUSED": "共享比对数据文件未导入：发现 {count} 处问题，例如：{first}",
    "REGISTER_REGION_LEVEL": "底册按乡镇(街道)或县(市、区)导入，区划代码“{region}”不是乡镇或县",
})
