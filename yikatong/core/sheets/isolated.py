"""Reading a workbook in a child process (child.py) with memory and time limits.

The parent streams the file to the child's stdin (no copy with personal data on disk), waits for
the child to have read the sheet (a wall-clock watchdog kills it after YKT_PARSER_TIMEOUT_S), then
takes the rows in chunks as the reader consumes them; the child's address space is capped at
YKT_PARSER_MAX_MEMORY_MB. Whatever the child does - abort, segfault, be killed, run out of memory
or time - this process only sees a SheetError with a stable code:

    PARSER_CRASHED  killed by a signal, or exited without answering (reference id in the message and the log)
    PARSER_MEMORY   the child ran out of its memory limit
    PARSER_TIMEOUT  the watchdog or the CPU limit stopped it
"""
from __future__ import annotations

import io
import logging
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from . import codes  # noqa: F401 - registers the messages
from .cells import SheetError
from .limits import Limits, current

log = logging.getLogger(__name__)
_ROOT = str(Path(__file__).resolve().parents[3])  # the directory holding the yikatong package
_ALLOWED = {("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta")}
_PASS_ENV = ("PATH", "LANG", "LC_ALL", "TZ", "YKT_FAULT", "SYSTEMROOT")


class _Unpickler(pickle.Unpickler):
    """Only plain values and datetime types: a compromised child cannot make the parent run code."""

    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed from the parser child")


def _env() -> dict[str, str]:
    env = {k: os.environ[k] for k in _PASS_ENV if k in os.environ}
    env["PYTHONPATH"] = _ROOT
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["RUST_BACKTRACE"] = "0"
    return env


def _path_of(f: BinaryIO) -> str | None:
    name = getattr(f, "name", None)
    if isinstance(name, str) and os.path.isfile(name) and f.tell() == 0:
        return os.path.abspath(name)  # the child runs in another working directory
    return None


class ChildSheet:
    """One running child: `start()` returns (sheet name, height), `rows()` yields the rows."""

    def __init__(self, f: BinaryIO, fmt: str, sheet: str | None, limits: Limits | None = None):
        self.lim = limits or current()
        self.fmt = fmt
        self.ref = uuid.uuid4().hex[:12]
        self.timed_out = False
        path = _path_of(f)
        cmd = [sys.executable, "-m", "yikatong.core.sheets.child", fmt, sheet or "", str(self.lim.memory_mb),
               str(self.lim.timeout_s), *([path] if path else [])]
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL if path else subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._stderr, env=_env(), cwd=_ROOT,
                                     close_fds=True, start_new_session=True)
        self._feeder = None
        if not path:
            self._feeder = threading.Thread(target=self._feed, args=(f,), daemon=True, name="sheet-child-feed")
            self._feeder.start()
        self._watchdog = threading.Timer(self.lim.timeout_s, self._expire)
        self._watchdog.daemon = True
        self._watchdog.start()
        self._in = io.BufferedReader(self.proc.stdout, 1 << 16)

    def _feed(self, f: BinaryIO) -> None:
        try:
            while chunk := f.read(1 << 20):
                self.proc.stdin.write(chunk)
        except (BrokenPipeError, OSError, ValueError):
            pass  # the child died or was stopped: its exit status tells why
        finally:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def _expire(self) -> None:
        self.timed_out = True
        self._kill()

    def _kill(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.kill()
            except ProcessLookupError:
                pass

    def _receive(self):
        try:
            return _Unpickler(self._in).load()  # one unpickler per message: each has its own memo
        except (EOFError, pickle.UnpicklingError, OSError, ValueError, AttributeError, IndexError):
            raise self._failure() from None

    def _failure(self) -> SheetError:
        """The child stopped without a proper answer: why, as a refusal (and a log line without data)."""
        self._kill()
        rc = self.proc.wait()
        self._watchdog.cancel()
        self._stderr.seek(0)
        out_of_memory = b"memory allocation of" in self._stderr.read(64 * 1024)
        sig = -rc if rc < 0 else 0
        if self.timed_out or sig == signal.SIGXCPU:
            code, params = "PARSER_TIMEOUT", {"seconds": self.lim.timeout_s}
        elif out_of_memory:
            code, params = "PARSER_MEMORY", {"limit_mb": self.lim.memory_mb}
        else:
            code, params = "PARSER_CRASHED", {"ref": self.ref}
        log.warning("spreadsheet parser child %s (%s) ended: exit %s%s -> %s", self.ref, self.fmt, rc,
                    f" ({signal.Signals(sig).name})" if sig in signal.Signals._value2member_map_ else "", code)
        return SheetError(code, **params)

    def _error(self, message) -> SheetError:
        _, code, params = message
        params = dict(params)
        if code == "PARSER_MEMORY":
            params = {"limit_mb": self.lim.memory_mb}
        return SheetError(code, params.pop("message", None), **params)

    def start(self) -> tuple[str, int]:
        message = self._receive()
        self._watchdog.cancel()  # the workbook is read; what remains is handing over rows
        if message[0] == "error":
            self.close()
            raise self._error(message)
        if message[0] != "meta":
            raise self._failure()
        return message[1], int(message[2])

    def rows(self) -> Iterator[list]:
        try:
            while True:
                message = self._receive()
                if message[0] == "rows":
                    yield from message[1]
                elif message[0] == "end":
                    break
                elif message[0] == "error":
                    raise self._error(message)
                else:
                    raise self._failure()
        finally:
            self.close()

    def close(self) -> None:
        self._watchdog.cancel()
        self._kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not ignored
            log.error("spreadsheet parser child %s did not stop", self.ref)
        for stream in (self.proc.stdout, self.proc.stdin):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        self._stderr.close()


def workbook_rows(f: BinaryIO, fmt: str, sheet: str | None) -> tuple[Iterator[list], str, int, callable]:
    """(rows, sheet name, height, close) of a workbook read by a child process."""
    child = ChildSheet(f, fmt, sheet)
    try:
        name, height = child.start()
    except BaseException:
        child.close()
        raise
    return child.rows(), name, height, child.close
