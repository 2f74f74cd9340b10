"""Unexpected failures: logged server-side with a reference id and without personal data, shown to
users as a generic Chinese message carrying that id (never raw exception or database text).

    except Exception as exc:
        ref = log_failure(log, "roster import run 12", exc)
        raise Refusal("IMPORT_FAILED", ref=ref) from exc
"""
from __future__ import annotations

import logging
import traceback
import uuid

from .refusals import Refusal, register_messages

register_messages({
    "IMPORT_FAILED": "导入失败：处理文件时发生内部错误，未做任何修改；请稍后重试，仍不成功请联系管理员（参考编号 {ref}）",
    "JOB_FAILED": "任务失败：发生内部错误，请稍后重试，仍不成功请联系管理员（参考编号 {ref}）",
})


def new_ref() -> str:
    return uuid.uuid4().hex[:12]


def log_failure(log: logging.Logger, what: str, exc: BaseException, ref: str | None = None) -> str:
    """Log `exc` under a new reference id: its type and where it happened, not its message (a
    database error quotes the values it could not store, which may be ID numbers or names)."""
    ref = ref or new_ref()
    frames = "".join(traceback.format_tb(exc.__traceback__)) if exc.__traceback__ else ""
    log.error("%s failed [ref %s]: %s.%s\n%s", what, ref, type(exc).__module__, type(exc).__qualname__, frames)
    return ref


def user_message(exc: BaseException, *, what: str, log: logging.Logger, fallback: str = "JOB_FAILED") -> tuple[str, dict]:
    """(message for users, audit payload) of a failure: a Refusal says itself (with its code);
    anything else is logged and answered with `fallback` and a reference id."""
    if isinstance(exc, Refusal):
        return f"{exc.message}（{exc.code}）", {"code": exc.code, **({"ref": exc.params["ref"]} if "ref" in exc.params else {})}
    ref = log_failure(log, what, exc)
    failure = Refusal(fallback, ref=ref)
    return f"{failure.message}（{failure.code}）", {"code": failure.code, "ref": ref, "type": type(exc).__name__}
