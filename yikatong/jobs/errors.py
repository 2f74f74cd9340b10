"""The refusals of the jobs app and their catalogue (core.refusals): scheduled jobs."""
from yikatong.core.refusals import register_messages

register_messages({
    "SCHEDULE_UNKNOWN": "定时任务“{name}”不在 YKT_SCHEDULES 的声明中（可能已被删除），本次不运行",
    "SCHEDULE_ADMIN_ONLY": "只有系统管理员可以查看定时任务",
})
