"""A reissue batch (补发) holds only failed items of its origin batch, carried over by
payments.reissue.reissue_create: nobody adds a person to it, by hand or by import."""
from ..errors import RosterError


def refuse_new_items(batch, *, what: str) -> None:
    """Raise REISSUE_NO_NEW_ITEMS when `batch` is a reissue batch. `what`: 导入 / 录入."""
    if batch.kind == "reissue":
        raise RosterError("REISSUE_NO_NEW_ITEMS", batch=batch.code, what=what)
