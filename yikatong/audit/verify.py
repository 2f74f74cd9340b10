"""Verification of the audit hash chain."""
from dataclasses import dataclass

from .chain import GENESIS, compute_hash
from .models import AuditEvent, ChainHead


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    message: str = ""


def verify_chain(progress=None, chunk: int = 2000) -> VerifyResult:
    """Walk the chain in order; report the first broken link (edited, deleted or reordered row)."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    total = AuditEvent.objects.count()
    qs = AuditEvent.objects.order_by("seq")
    for event in qs.iterator(chunk_size=chunk):
        if event.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"第 {expected_seq} 号审计事件缺失（链条在此断开）")
        if event.prev_hash != prev_hash:
            return VerifyResult(False, checked, event.seq, f"第 {event.seq} 号审计事件的前序哈希不符（前一事件被改动或删除）")
        if compute_hash(event) != event.hash:
            return VerifyResult(False, checked, event.seq, f"第 {event.seq} 号审计事件内容被改动（哈希不符）")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
        if progress and checked % chunk == 0:
            progress(checked, total)
    head = ChainHead.objects.filter(id=1).first()
    if head and (head.seq != checked or head.hash != prev_hash):
        return VerifyResult(False, checked, checked + 1, f"链尾不符：应有 {head.seq} 个事件，实有 {checked} 个（末尾事件被删除）")
    return VerifyResult(True, checked, None, f"审计链完整，共校验 {checked} 个事件")
