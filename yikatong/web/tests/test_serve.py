"""`yikatong serve` restarts a child (web or worker) killed with kill -9, and gives up on one that
keeps dying instead of looping."""
import os
import signal
import sys
import threading
import time

import pytest
from django.core.management import call_command

from yikatong.web.management.commands import serve

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


@pytest.fixture
def fake_children(monkeypatch):
    made = []

    def processes(*, bind, workers):
        made[:] = [serve.Supervised("worker", SLEEPER, dict(os.environ)),
                   serve.Supervised("web", SLEEPER, dict(os.environ))]
        return made

    monkeypatch.setattr(serve, "processes", processes)
    monkeypatch.setattr("yikatong.web.startup_notes.notes", lambda: [])
    serve.STOP.clear()
    yield made
    serve.STOP.set()


def _wait(predicate, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_child_killed_with_sigkill_is_started_again(fake_children):
    runner = threading.Thread(target=call_command, args=("serve",), daemon=True)
    runner.start()
    assert _wait(lambda: len(fake_children) == 2 and all(c.proc for c in fake_children))
    worker = fake_children[0]
    first = worker.proc.pid
    os.kill(first, signal.SIGKILL)
    assert _wait(lambda: worker.proc.pid != first and worker.proc.poll() is None)
    serve.STOP.set()
    runner.join(timeout=20)
    assert not runner.is_alive()
    assert all(c.proc.poll() is not None for c in fake_children)  # both stopped with the service


def test_a_child_that_keeps_dying_is_not_restarted_forever(monkeypatch):
    child = serve.Supervised("worker", [sys.executable, "-c", "pass"], dict(os.environ))
    assert all(child.may_restart() for _ in range(serve.MAX_RESTARTS))
    assert not child.may_restart()
