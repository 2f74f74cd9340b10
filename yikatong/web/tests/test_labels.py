"""The shared `state_label` filter: web imports no business app; rosters registers its batch states."""
from django.template import engines

from yikatong.rosters.models import BatchState
from yikatong.web import labels


def _render(code: str) -> str:
    return engines["django"].from_string("{% load ykt %}{{ code|state_label }}").render({"code": code})


def test_batch_states_are_labelled_through_the_registry():
    assert _render(BatchState.APPROVED.value) == str(BatchState.APPROVED.label)
    assert _render("no-such-state") == "no-such-state"


def test_a_registered_labeller_answers_its_own_codes_only(monkeypatch):
    monkeypatch.setattr(labels, "_LABELLERS", list(labels._LABELLERS))
    labels.register_state_labels({"x_state": "某状态"}.get)
    assert labels.state_label("x_state") == "某状态"
    assert labels.state_label(BatchState.APPROVED.value) == str(BatchState.APPROVED.label)
