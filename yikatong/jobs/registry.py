"""Job handlers are plain functions `handler(job, progress) -> (message, result)` marked with @job_handler."""
from django.utils.module_loading import import_string


def job_handler(func):
    func._ykt_job_handler = True
    return func


def resolve(kind: str):
    if not kind.startswith("yikatong."):
        raise ValueError(f"未知的任务类型：{kind}")
    func = import_string(kind)
    if not getattr(func, "_ykt_job_handler", False):
        raise ValueError(f"未知的任务类型：{kind}")
    return func
