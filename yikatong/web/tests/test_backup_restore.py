"""The backup and restore procedure of docs/operations.md §7, done as written (SQLite): the database
copied with SQLite's backup API, the key kept apart in its env file; restored on a "new host" from
those two copies alone, an encrypted ID number still decrypts, `yikatong datakey check` passes,
`yikatong audit verify` passes and the chain head is the one recorded before — and with a wrong key
the check fails, so it proves something."""
import base64
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
DOC = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
# the one-liner of §7, used for the backup and (the other way round) for the restore
SQLITE_COPY = 'python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))"'
ID_NUMBER = "141024195001010013"
SEED = f"""
from tests.support import factories
from yikatong.accounts.provisioning import user_provision
from yikatong.audit.models import ChainHead
regions = factories.region_tree()
factories.person(regions["village1"], "{ID_NUMBER}", "张三")
user_provision(actor=None, username="czs1", role="township_finance", region_code="141024100", phone="13800138000")
head = ChainHead.objects.get(id=1)
print(head.seq, head.hash)
"""
READ_BACK = """
from yikatong.core.crypto import vault
from yikatong.registry.models import Person
from yikatong.audit.models import ChainHead
p = Person.objects.get(name="张三")
head = ChainHead.objects.get(id=1)
print(vault().decrypt(p.id_enc), p.id_bidx == vault().id_index(vault().decrypt(p.id_enc)))
print(head.seq, head.hash)
"""


def _env_file(path: Path) -> dict:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def _host(var: Path, env_file: Path) -> dict:
    """The environment of a host whose settings come from `env_file` (as systemd's EnvironmentFile)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YKT_") and k != "DATABASE_URL"}
    return {**env, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "yikatong.settings", **_env_file(env_file),
            "YKT_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'yikatong.sqlite3'}"}


def _run(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "yikatong"), *args], env=env, capture_output=True, text=True, timeout=180)


def _copy(src: Path, dst: Path) -> None:
    code = SQLITE_COPY.split('"')[1]
    subprocess.run([sys.executable, "-c", code, str(src), str(dst)], check=True, timeout=60)


def test_the_documented_procedure(tmp_path):
    for step in (SQLITE_COPY, "yikatong datakey check", "yikatong audit verify", "pg_dump --format=custom",
                 "pg_restore", "EnvironmentFile=/etc/yikatong/env"):
        assert step in DOC, step  # the test below does what the document says


def test_restore_from_the_backups_alone_decrypts_and_verifies(tmp_path):
    old, safe, backup, new = (tmp_path / d for d in ("old-host", "key-safe", "backup", "new-host"))
    for d in (old, safe, backup, new):
        d.mkdir()
    env_file = old / "env"  # /etc/yikatong/env of the old host
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    env_file.write_text(f"YKT_DATA_KEY={key}\nYKT_SECRET_KEY={secrets.token_urlsafe(50)}\n")
    host = _host(old, env_file)
    assert _run(host, "migrate", "--noinput", "-v0").returncode == 0
    seeded = _run(host, "shell", "-c", SEED)
    assert seeded.returncode == 0, seeded.stderr
    head_before = seeded.stdout.strip().splitlines()[-1]

    # backup (§7): the database with SQLite's backup API; the key's env file to its own safe place
    _copy(old / "yikatong.sqlite3", backup / "ykt.sqlite3")
    shutil.copy(env_file, safe / "env")
    shutil.rmtree(old)  # the old host is lost

    # restore (§7): env file back from the safe, database back with the same one-liner, then the checks
    (new / "etc").mkdir()
    shutil.copy(safe / "env", new / "etc" / "env")
    _copy(backup / "ykt.sqlite3", new / "yikatong.sqlite3")
    restored = _host(new, new / "etc" / "env")
    assert _run(restored, "migrate", "--noinput", "-v0").returncode == 0
    keys = _run(restored, "datakey", "check")
    assert keys.returncode == 0 and "数据密钥校验通过" in keys.stdout, keys.stdout + keys.stderr
    assert "registry_person.id_enc" in keys.stdout and "accounts_user.phone_enc" in keys.stdout
    assert ID_NUMBER not in keys.stdout + keys.stderr  # counts, never values
    chain = _run(restored, "audit", "verify")
    assert chain.returncode == 0 and "审计链完整" in chain.stdout, chain.stdout + chain.stderr
    read = _run(restored, "shell", "-c", READ_BACK)
    assert read.returncode == 0, read.stderr
    assert read.stdout.splitlines()[-2:] == [f"{ID_NUMBER} True", head_before]  # same data, same chain head

    # the key matters: the restored database with another key fails the check, naming the column
    (new / "etc" / "wrong").write_text(f"YKT_DATA_KEY={base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}\n")
    wrong = _run(_host(new, new / "etc" / "wrong"), "datakey", "check")
    assert wrong.returncode == 1 and "registry_person.id_enc" in wrong.stderr
