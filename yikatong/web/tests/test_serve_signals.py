"""`yikatong serve` stopped with SIGTERM or SIGINT stops gunicorn (master and workers) and the
background worker, and exits 0: no child survives its supervisor."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> set[int]:
    """Every live descendant of `pid`, from /proc (pid → ppid)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            parents[int(entry)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
    except urllib.error.HTTPError:
        return True  # 503 (worker not beating yet) is an answer
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def migrated_env(tmp_path_factory):
    var = tmp_path_factory.mktemp("serve")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "YKT_VAR_DIR": str(var),
           "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}", "DJANGO_SETTINGS_MODULE": "yikatong.settings"}
    subprocess.run([str(BIN / "yikatong"), "migrate", "-v0"], env=env, check=True, capture_output=True, timeout=120)
    return env


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_stops_web_and_worker_and_leaves_no_orphan(migrated_env, signum):
    port = _free_port()
    serve = subprocess.Popen([str(BIN / "yikatong"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                             env=migrated_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    children: set[int] = set()
    try:
        deadline = time.monotonic() + 60  # a loaded CI machine (two test workers) starts slowly
        while not _answers(port):
            assert serve.poll() is None, serve.stdout.read().decode()
            assert time.monotonic() < deadline, "web did not come up"
            time.sleep(0.2)
        children = _children(serve.pid)
        assert len(children) >= 3  # worker, gunicorn master, gunicorn worker
        serve.send_signal(signum)
        assert serve.wait(timeout=60) == 0
        deadline = time.monotonic() + 15
        while any(_alive(p) for p in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [p for p in children if _alive(p)] == []
        assert not _answers(port)
    finally:
        if serve.poll() is None:
            serve.kill()
        for p in children | _children(serve.pid):  # never leave a test's processes behind
            if _alive(p):
                os.kill(p, signal.SIGKILL)


def _worker_of(serve_pid: int) -> int | None:
    """The pid of `yikatong worker` among the service's children."""
    for pid in _children(serve_pid):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(part.endswith(b"yikatong") for part in cmd) and b"worker" in cmd:
            return pid
    return None


def test_a_worker_killed_with_sigkill_is_started_again(migrated_env):
    """The real service: kill -9 the worker child, a new worker process appears (Supervised.may_restart)."""
    port = _free_port()
    serve = subprocess.Popen([str(BIN / "yikatong"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                             env=migrated_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60  # a loaded CI machine (two test workers) starts slowly
        while (first := _worker_of(serve.pid)) is None or not _answers(port):
            assert serve.poll() is None and time.monotonic() < deadline, "service did not come up"
            time.sleep(0.2)
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 60  # a loaded CI machine (two test workers) starts slowly
        while (second := _worker_of(serve.pid)) in (None, first):
            assert serve.poll() is None and time.monotonic() < deadline, "the worker was not started again"
            time.sleep(0.2)
        assert _alive(second) and not _alive(first)
        assert _answers(port)  # the web server was left alone
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=60) == 0
        assert "后台任务进程意外退出" in serve.stdout.read().decode()
    finally:
        if serve.poll() is None:
            serve.kill()
        for p in _children(serve.pid):
            if _alive(p):
                os.kill(p, signal.SIGKILL)
