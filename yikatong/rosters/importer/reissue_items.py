"""A reissue batch (补发) holds only failed items of its origin batch, carried over by
payments.reissue.create_reissue: nobody adds a person to it, by hand or by import."""
from yikatong.core.refusals import register_messages

from ..errors import RosterError

register_messages({
    "REISSUE_NO_NEW_ITEMS": "批次 {batch} 是补发批次，只能包含原批次发放失败的明细（可更正账号或户名），"
                            "不能{what}新的发放对象",
})


def refuse_new_items(batch, *, what: str) -> None:
    """Raise REISSUE_NO_NEW_ITEMS when `batch` is a reissue batch. `what`: 导入 / 录入."""
    if batch.kind == "reissue":
        raise RosterError("REISSUE_NO_NEW_ITEMS", batch=batch.code, what=what)
