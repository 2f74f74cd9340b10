"""rosters asks the apps above it through rosters.hooks, never by importing them (docs/architecture.md):
checks fills the hooks at ChecksConfig.ready; unfilled, rosters behaves as without checks."""
from yikatong.checks import roster_hooks
from yikatong.rosters import hooks


def test_checks_fills_the_rosters_hooks_at_ready():
    assert hooks._providers["held_items"] is roster_hooks.held_items
    assert hooks._providers["findings_for"] is roster_hooks.findings_for
    assert roster_hooks.queue_check in hooks._after_transition
    assert hooks._after_refusal["BLOCKING_FINDINGS_OPEN"] == [roster_hooks.store_findings]


def test_unfilled_hooks_answer_none_and_call_nobody(monkeypatch):
    monkeypatch.setattr(hooks, "_providers", {})
    monkeypatch.setattr(hooks, "_after_transition", [])
    monkeypatch.setattr(hooks, "_after_refusal", {})
    assert hooks.held_items(object()) is None
    assert hooks.findings_for(object(), batch_id=1) is None
    hooks.after_transition(actor=None, batch=object(), action="send_compare")
    hooks.after_refusal(code="BLOCKING_FINDINGS_OPEN", batch_id=1)


def test_refusal_listeners_hear_only_their_code(monkeypatch):
    heard = []
    monkeypatch.setattr(hooks, "_after_refusal", {})
    hooks.on_refusal("A_CODE")(heard.append)
    hooks.on_refusal("A_CODE")(heard.append)  # registering twice (ready run again) calls it once
    hooks.after_refusal(code="OTHER_CODE", batch_id=7)
    hooks.after_refusal(code="A_CODE", batch_id=8)
    assert heard == [8]


def test_transition_listeners_get_actor_batch_and_action(monkeypatch):
    heard = []
    monkeypatch.setattr(hooks, "_after_transition", [])
    hooks.on_transition(lambda **kw: heard.append(kw))
    hooks.after_transition(actor="a", batch="b", action="submit")
    assert heard == [{"actor": "a", "batch": "b", "action": "submit"}]
