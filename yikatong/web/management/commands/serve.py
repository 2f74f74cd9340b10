"""`yikatong serve`: web server (gunicorn) on 127.0.0.1:8000 plus the background worker."""
import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from yikatong.accounts.demo import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Run the web server and the background worker until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("YKT_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, bind, workers, **options):
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "yikatong.settings")
        bindir = os.path.dirname(sys.executable)
        worker = subprocess.Popen([os.path.join(bindir, "yikatong"), "worker"], env=env)
        web = subprocess.Popen(
            [os.path.join(bindir, "gunicorn"), "yikatong.wsgi:application", "--bind", bind,
             "--workers", str(workers), "--threads", "4", "--access-logfile", "-"],
            env=env,
        )
        self.stdout.write(f"一卡通已启动：http://{bind}/  （Ctrl+C 停止）")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：" + "，".join(u for u, _, _ in demo_logins()))
        procs = [web, worker]
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        failed = [p.returncode for p in procs if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            sys.exit(1)
