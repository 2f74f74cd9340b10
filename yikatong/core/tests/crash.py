"""Running one step of the system in a child process that may be killed (kill -9 at a named
fault point, see yikatong.core.faults), against the test's own database and bank drop box.

On PostgreSQL the child connects to the test database itself (the test must commit its data:
`django_db(transaction=True)`). On SQLite the test database lives in memory, so it is copied to a
file for the child and copied back when the child ends (sqlite3's online backup, both ways).
The child runs the production settings module (`yikatong.settings`: the database-backed task
queue, the PostgreSQL time limits) with the test's data key, profile and drop-box folders.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]

PRELUDE = """
import json, os, django
django.setup()
A = json.loads(os.environ["YKT_TEST_ARGS"])
"""


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL

    def describe(self) -> str:
        return f"exit {self.returncode}\n--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}"


class Child:
    """Runs scripts and management commands in a child process sharing the test's database."""

    def __init__(self, tmp_path: Path):
        self.tmp = Path(tmp_path)
        self.var = self.tmp / "child-var"
        self.var.mkdir(parents=True, exist_ok=True)
        self.sqlite_file = self.tmp / "shared.sqlite3"

    # -- the database the child sees -------------------------------------------------------
    def _database_url(self) -> str:
        s = connection.settings_dict
        if connection.vendor == "postgresql":
            auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
            return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        if connection.vendor == "sqlite":
            return f"sqlite:///{self.sqlite_file}"
        raise NotImplementedError(connection.vendor)

    def _export(self) -> None:
        if connection.vendor != "sqlite":
            return
        connection.ensure_connection()
        if self.sqlite_file.exists():
            self.sqlite_file.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.sqlite_file}{suffix}").unlink(missing_ok=True)
        target = sqlite3.connect(self.sqlite_file)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def _import(self) -> None:
        if connection.vendor != "sqlite":
            return
        source = sqlite3.connect(self.sqlite_file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()

    def env(self, fault: str | None = None, args: dict | None = None, **extra: str) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("YKT_") and k != "DJANGO_SETTINGS_MODULE"}
        env.update({
            "DJANGO_SETTINGS_MODULE": "yikatong.settings",
            "DATABASE_URL": self._database_url(),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
            "YKT_VAR_DIR": str(self.var),
            "YKT_SECRET_KEY": "crash-test-secret-key-crash-test-secret-key",
            "YKT_DATA_KEY": settings.YKT_DATA_KEY,
            "YKT_PROFILE": settings.YKT_PROFILE,
            "YKT_BANK_OUTBOX": str(settings.YKT_BANK_OUTBOX),
            "YKT_BANK_INBOX": str(settings.YKT_BANK_INBOX),
            "YKT_JOB_LEASE_SECONDS": "3",
            "YKT_TEST_ARGS": json.dumps(args or {}),
        })
        if fault:
            env["YKT_FAULT"] = fault
        env.update(extra)
        return env

    def _run(self, argv: list[str], *, fault, args, timeout, extra) -> Outcome:
        self._export()
        try:
            proc = subprocess.run(argv, cwd=ROOT, env=self.env(fault, args, **extra), capture_output=True,
                                  text=True, timeout=timeout)
        finally:
            self._import()
        return Outcome(proc.returncode, proc.stdout, proc.stderr)

    def script(self, body: str, *, fault: str | None = None, args: dict | None = None, timeout: float = 180,
               **extra: str) -> Outcome:
        """Run `body` (Python; Django set up, the dict `A` holds `args`) in a child process."""
        return self._run([sys.executable, "-c", PRELUDE + body], fault=fault, args=args, timeout=timeout,
                         extra=extra)

    def manage(self, *argv: str, fault: str | None = None, timeout: float = 180, **extra: str) -> Outcome:
        return self._run([sys.executable, str(ROOT / "manage.py"), *argv], fault=fault, args=None,
                         timeout=timeout, extra=extra)


# A POST through the whole web stack (middleware, view, service) as a logged-in user: the web
# process is the one killed.
WEB_POST = """
from django.test import Client
from yikatong.accounts.models import User
client = Client()
client.force_login(User.objects.get(pk=A["user"]))
response = client.post(A["url"], A.get("data", {}))
print("STATUS", response.status_code)
"""
