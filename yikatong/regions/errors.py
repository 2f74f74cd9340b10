"""The refusal catalogue of the regions app (core.refusals)."""
from yikatong.core.refusals import register_messages

register_messages({
    "REGION_UNKNOWN": "区划代码“{region}”不存在",
})
