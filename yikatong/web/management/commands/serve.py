"""`yikatong serve`: web server (gunicorn) on 127.0.0.1:8000 plus the background worker.

Both are supervised: a child that dies unexpectedly (kill -9, out of memory) is started again,
with a short back-off; the worker's start-up takes back the jobs the dead one was running
(jobs.services.recover_interrupted). A child that keeps dying (more than MAX_RESTARTS within
RESTART_WINDOW seconds) stops the whole service with an error instead of looping.
"""
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque

from django.core.management.base import BaseCommand

from yikatong.web import startup_notes


MAX_RESTARTS = 5
RESTART_WINDOW = 60.0
STOP_TIMEOUT = 10.0  # seconds a child has to stop after the forwarded signal before it is killed
GRACEFUL_TIMEOUT = 8  # gunicorn's own graceful shutdown, within STOP_TIMEOUT
STOP = threading.Event()  # set to stop the service (tests; Ctrl+C does the same)


class Supervised:
    def __init__(self, name: str, argv: list[str], env: dict):
        self.name, self.argv, self.env = name, argv, env
        self.proc: subprocess.Popen | None = None
        self.restarts: deque[float] = deque()

    def start(self) -> None:
        # own session and process group: signals are forwarded explicitly, and a kill reaches grandchildren
        self.proc = subprocess.Popen(self.argv, env=self.env, start_new_session=True)

    def died(self) -> bool:
        return self.proc is not None and self.proc.poll() is not None

    def may_restart(self) -> bool:
        now = time.monotonic()
        while self.restarts and now - self.restarts[0] > RESTART_WINDOW:
            self.restarts.popleft()
        if len(self.restarts) >= MAX_RESTARTS:
            return False
        self.restarts.append(now)
        return True

    def stop(self, signum: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signum)

    def wait(self, timeout: float = STOP_TIMEOUT) -> None:
        """Wait for the child to stop; past `timeout`, kill it. Then kill whatever is left of its
        process group (workers of a master that died first)."""
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._kill_group()
            self.proc.wait()
        self._kill_group()

    def _kill_group(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def processes(*, bind: str, workers: int) -> list[Supervised]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "yikatong.settings")
    bindir = os.path.dirname(sys.executable)
    return [
        Supervised("后台任务进程", [os.path.join(bindir, "yikatong"), "worker"], env),
        Supervised("网站进程", [os.path.join(bindir, "gunicorn"), "yikatong.wsgi:application", "--bind", bind,
                            "--workers", str(workers), "--threads", "4", "--access-logfile", "-",
                            "--graceful-timeout", str(GRACEFUL_TIMEOUT)], env),
    ]


class Command(BaseCommand):
    help = "Run the web server and the background worker until interrupted (each restarted if it dies)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("YKT_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, bind, workers, **options):
        received: list[int] = []

        def on_signal(signum, frame):
            received.append(signum)
            STOP.set()

        if threading.current_thread() is threading.main_thread():  # tests run the command in a thread
            signal.signal(signal.SIGTERM, on_signal)
            signal.signal(signal.SIGINT, on_signal)
        children = processes(bind=bind, workers=workers)
        for child in children:
            child.start()
        self.stdout.write(f"一卡通已启动：http://{bind}/  （Ctrl+C 停止）")
        for note in startup_notes.notes():  # the demo layer announces its logins; production has none
            self.stdout.write(note)
        failed = False
        try:
            while not failed and not STOP.wait(0.5):
                for child in children:
                    if not child.died():
                        continue
                    code = child.proc.returncode
                    if not child.may_restart():
                        self.stderr.write(f"{child.name}在 {int(RESTART_WINDOW)} 秒内退出超过 {MAX_RESTARTS} 次"
                                          f"（最近退出码 {code}），停止服务")
                        failed = True
                        break
                    self.stderr.write(f"{child.name}意外退出（退出码 {code}），正在重新启动")
                    time.sleep(1.0)
                    child.start()
        except KeyboardInterrupt:
            received.append(signal.SIGINT)
        finally:
            forward = received[0] if received else signal.SIGTERM
            for child in children:
                child.stop(forward)
            for child in children:
                child.wait()
        if failed:
            sys.exit(1)
        self.stdout.write("一卡通已停止。")
