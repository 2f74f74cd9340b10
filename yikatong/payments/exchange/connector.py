"""How bank files travel: the BankConnector interface and the default folder-based OutboxConnector.

The OutboxConnector is the SFTP-style drop box of settings.YKT_BANK_OUTBOX (files for the
bank) and settings.YKT_BANK_INBOX (the bank's answers). Files appear under their final name
only when complete (written to a temporary name, flushed, then linked into place), and a
delivered file is never overwritten; delivering the very same bytes again (a send retried after a
crash between delivery and commit) is a no-op, wherever the bank has moved the file.

Answers are taken in three steps so that a crash anywhere loses nothing and doubles nothing:
`answers()` lists them, `read(name)` reads one, and `archive(name, data)` takes it out of the inbox
only after its ingest committed and its bytes are kept, sealed, in BankFile
(payments.ingest.bank_inbox_collect). A file still in the inbox after a crash is simply ingested again,
which the ingest recognises as a replay.

Files at rest: the drop box is the exchange channel with the bank, so the files in it are the
contract's plaintext (the bank must read them); every file is written 0600 and every folder this
module creates 0700, so only the service account (and the SFTP account mapped to it) can read them.
No copy is kept on disk after the fact: an answer leaves the inbox by deletion once its sealed copy
is in the database (no plaintext `processed/` archive); a payment file stays in the outbox only until
the bank takes it (the bank — or the simulator — moves it to `outbox/processed/`, which this module
consults so a batch number is never delivered twice).
"""
from __future__ import annotations

import errno
import os
import secrets
from abc import ABC, abstractmethod
from pathlib import Path

from django.conf import settings

from yikatong.core.faults import fault_point

from .filenames import PAYMENT, REJECTION, RESULT, parse_file_name

__all__ = ["BankConnector", "OutboxConnector", "atomic_write", "private_dir", "DeliveryError", "PROCESSED"]

_PRIVATE_FILE, _PRIVATE_DIR = 0o600, 0o700

PROCESSED = "processed"
_NO_HARD_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP}


class DeliveryError(RuntimeError):
    """A file could not be handed over (e.g. one of that name was already delivered)."""


class BankConnector(ABC):
    @abstractmethod
    def deliver(self, filename: str, data: bytes) -> None:
        """Hand one payment file to the bank. Must never replace a file already delivered; the same
        bytes under the same name again are accepted as already delivered."""

    @abstractmethod
    def answers(self) -> list[str]:
        """Names of the bank's answer files (result R, rejection X) waiting in the inbox, oldest name first."""

    @abstractmethod
    def read(self, name: str) -> bytes:
        """The bytes of one waiting answer file."""

    @abstractmethod
    def archive(self, name: str, data: bytes) -> None:
        """Take an answer out of the inbox, once its ingest has committed and its bytes are kept
        sealed in the database; no plaintext copy may remain. Only the very bytes `data` are taken: a
        different file dropped under that name meanwhile stays. Archiving a file that is already gone
        (another collector archived it) is not an error."""

    def collect(self) -> list[tuple[str, bytes]]:
        """Read and archive every waiting answer at once (tools and tests; the ingest uses
        answers/read/archive so that nothing is archived before it is ingested)."""
        taken = []
        for name in self.answers():
            data = self.read(name)
            self.archive(name, data)
            taken.append((name, data))
        return taken


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _link_no_clobber(tmp: Path, target: Path) -> None:
    try:
        os.link(tmp, target)  # fails if target exists: no check-then-act race
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # A file system without hard links (some network shares): check, then rename. The
        # window between the two is the only race, and only between two writers of one name.
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.rename(tmp, target)


def private_dir(directory: Path) -> Path:
    """Create `directory` (and its parents) if missing; a folder created here is 0700. An existing
    folder keeps the mode its operator gave it (an SFTP setup may need group access)."""
    directory = Path(directory)
    if not directory.is_dir():
        directory.mkdir(parents=True, exist_ok=True)
        os.chmod(directory, _PRIVATE_DIR)
    return directory


def atomic_write(directory: Path, filename: str, data: bytes, *, replace: bool = False) -> Path:
    """Write `data` to directory/filename so that readers see all of it or nothing.

    The temporary file starts with "." so no reader mistakes it for a bank file. Without
    `replace`, an existing file of that name is an error (FileExistsError), checked atomically.
    """
    if os.path.basename(filename) != filename or filename.startswith("."):
        raise ValueError(f"文件名“{filename}”不合法")
    directory = Path(directory)
    private_dir(directory)
    target = directory / filename
    tmp = directory / f".{filename}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), _PRIVATE_FILE)
    os.fchmod(fd, _PRIVATE_FILE)  # whatever the umask: the file holds account and ID numbers
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        if replace:
            os.replace(tmp, target)
        else:
            _link_no_clobber(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    _fsync_dir(directory)
    return target


class OutboxConnector(BankConnector):
    def __init__(self, outbox: Path | str | None = None, inbox: Path | str | None = None):
        self.outbox = Path(outbox if outbox is not None else settings.YKT_BANK_OUTBOX)
        self.inbox = Path(inbox if inbox is not None else settings.YKT_BANK_INBOX)

    def deliver(self, filename: str, data: bytes) -> None:
        parts = parse_file_name(filename)
        if parts is None or parts.kind != PAYMENT:
            raise DeliveryError(f"“{filename}”不是代发明细文件名（YKT1_银行编码_批次号_P.txt）")
        data = bytes(data)
        if self._already_delivered(filename, data):
            return  # a retry after a crash between delivery and commit: the bank has this very file
        if (self.outbox / PROCESSED / filename).exists():  # the bank took a file of this name already
            raise DeliveryError(f"银行已取走文件 {filename}，同一批次的文件不得重复发送")
        try:
            atomic_write(self.outbox, filename, data)
        except FileExistsError:
            if self._already_delivered(filename, data):  # a concurrent retry delivered it
                return
            raise DeliveryError(f"发件箱中已有文件 {filename}，同一批次的文件不得重复发送") from None

    def _already_delivered(self, filename: str, data: bytes) -> bool:
        """The outbox (or the bank's processed/ folder in it) holds `filename` with these bytes.
        Other bytes under that name are refused by the caller: a batch number is sent once."""
        for path in (self.outbox / filename, self.outbox / PROCESSED / filename):
            try:
                if path.is_file() and path.read_bytes() == data:
                    return True
            except OSError:
                continue
        return False

    def answers(self) -> list[str]:
        if not self.inbox.is_dir():
            return []
        self._recover_taking()
        names = []
        for path in sorted(self.inbox.iterdir()):
            parts = parse_file_name(path.name)
            if parts is not None and parts.kind in (RESULT, REJECTION) and path.is_file():
                names.append(path.name)
        return names

    def read(self, name: str) -> bytes:
        return self._inbox_path(name).read_bytes()

    def archive(self, name: str, data: bytes) -> None:
        source = self._inbox_path(name)
        taking = self.inbox / f".{name}.{secrets.token_hex(6)}.taking"
        try:
            os.replace(source, taking)  # atomic: no other collector, and no new drop, sees it from here on
        except FileNotFoundError:
            return  # archived meanwhile by another collector
        fault_point("payments.collect.mid_archive")
        try:
            same = taking.read_bytes() == bytes(data)
        except OSError:
            same = False
        if same:
            taking.unlink()  # its sealed copy is in BankFile: no plaintext is kept on disk
        else:  # the bank dropped other bytes under that name after we read it: leave them to be collected
            try:
                _link_no_clobber(taking, source)
            except FileExistsError:
                os.replace(taking, self.inbox / f".{name}.{secrets.token_hex(4)}.dup")
            finally:
                if taking.exists():
                    taking.unlink()
        _fsync_dir(self.inbox)

    def _recover_taking(self) -> None:
        """A file being archived when the process died is put back under its name: the next
        collection sees it as a replay (its ingest committed) and archives it for good."""
        for path in self.inbox.glob(".*.taking"):
            name = path.name[1:].rsplit(".", 2)[0]
            if parse_file_name(name) is None:
                continue
            try:
                _link_no_clobber(path, self.inbox / name)
            except FileExistsError:
                continue  # the bank dropped that name again; the next collection takes it, then this
            except FileNotFoundError:
                continue  # another collector recovered it
            if path.exists():
                path.unlink()

    def _inbox_path(self, name: str) -> Path:
        if os.path.basename(name) != name or name.startswith("."):
            raise ValueError(f"文件名“{name}”不合法")
        return self.inbox / name
