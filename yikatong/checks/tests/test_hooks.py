"""checks asks supervision through checks.hooks, and answers rosters through rosters.hooks, never by
importing the app above (docs/architecture.md)."""
import pytest

from yikatong.checks import hooks, roster_hooks
from yikatong.supervision.selectors import released_findings
from yikatong.supervision.transfer import open_clue


class _Batch:
    pk = 41


def test_supervision_fills_the_checks_hooks_at_ready():
    assert hooks._providers["transfer_clue"] is open_clue
    assert hooks._providers["released_findings"] is released_findings


def test_without_supervision_a_transfer_cannot_happen_and_nothing_is_released(monkeypatch):
    monkeypatch.setattr(hooks, "_providers", {})
    with pytest.raises(RuntimeError):
        hooks.transfer_clue(actor=None, finding=None, reason="x", now=None)
    assert hooks.released_findings() is None


def test_the_background_check_is_queued_only_after_send_compare(monkeypatch):
    from yikatong.checks import tasks

    queued = []
    monkeypatch.setattr(tasks, "enqueue_batch_check", lambda *, actor, batch_id: queued.append((actor, batch_id)))
    for action in ("submit", "resubmit", "dept_approve", "pay"):
        roster_hooks.queue_check(actor="zhan", batch=_Batch(), action=action)
    assert queued == []
    roster_hooks.queue_check(actor="zhan", batch=_Batch(), action="send_compare")
    assert queued == [("zhan", 41)]
