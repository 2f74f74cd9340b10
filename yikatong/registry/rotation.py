"""Data key rotation: re-encrypt every ciphertext and recompute every blind index, atomically.

Procedure (docs in docs/datasets/README.md, "密钥轮换"): stop the web server and the worker,
back up the database, put the new key in YKT_DATA_KEY (or var/data_key), then run
    yikatong registry rotate-key --old-key-file /secure/old.key
One transaction: either everything is under the new key or nothing changed. Values already
under the new key (a second run) are left alone; a value that neither key opens aborts it all.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from yikatong.core.crypto import DecryptionError

from .pii import Vault

CHUNK = 2000


class RotationError(RuntimeError):
    pass


class _Rotator:
    def __init__(self, old: Vault, new: Vault):
        self.old, self.new = old, new
        self.counts: dict[str, int] = {}

    def plain(self, token: str, where: str) -> tuple[str, bool]:
        """(plaintext, needs re-encryption)."""
        if not token:
            return "", False
        try:
            return self.old.decrypt(token), True
        except DecryptionError:
            try:
                return self.new.decrypt(token), False
            except DecryptionError as exc:
                raise RotationError(f"{where} 的密文用新旧密钥都无法解密，已全部撤销") from exc

    def table(self, table: str, columns: list[str], convert) -> None:
        """Rewrite rows of `table`: convert(row dict) -> dict of new values or None (unchanged)."""
        done, last = 0, 0
        cols = ", ".join(["id", *columns])
        while True:
            with connection.cursor() as cur:
                cur.execute(f"SELECT {cols} FROM {table} WHERE id > %s ORDER BY id LIMIT {CHUNK}", [last])
                rows = cur.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            updates: dict[tuple[str, ...], list] = {}
            for row in rows:
                values = convert(dict(zip(["id", *columns], row)))
                if values:
                    keys = tuple(sorted(values))
                    updates.setdefault(keys, []).append([values[k] for k in keys] + [row[0]])
            with connection.cursor() as cur:
                for keys, params in updates.items():
                    sets = ", ".join(f"{k} = %s" for k in keys)
                    cur.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", params)
                    done += len(params)
        key = f"{table}.{','.join(columns)}"
        self.counts[key] = self.counts.get(key, 0) + done

    # ---- per column kind -------------------------------------------------------------

    def reenc(self, token: str, where: str) -> tuple[str, str]:
        """(new token, plaintext) for one ciphertext."""
        plain, needed = self.plain(token, where)
        return (self.new.encrypt(plain) if needed else token), plain


def rotate_key(*, old_key: str, new_key: str | None = None) -> dict[str, int]:
    new_key = new_key or settings.YKT_DATA_KEY
    if not old_key or old_key == new_key:
        raise RotationError("旧密钥为空或与新密钥相同")
    r = _Rotator(Vault(old_key), Vault(new_key))
    n = r.new

    def person(row):
        id_enc, number = r.reenc(row["id_enc"], f"人员#{row['id']}")
        phone_enc, phone = r.reenc(row["phone_enc"], f"人员#{row['id']}")
        return {"id_enc": id_enc, "id_bidx": n.id_index(number), "id_mask_bidx": n.id_mask_index(number),
                "phone_enc": phone_enc, "phone_bidx": n.index(phone), "import_digest": ""}

    def account(row):
        enc, number = r.reenc(row["number_enc"], f"账户#{row['id']}")
        return {"number_enc": enc, "number_bidx": n.index(number)}

    def reference(row):
        where = f"共享数据#{row['id']}"
        id_enc, number = r.reenc(row["id_enc"], where)
        rel_enc, related = r.reenc(row["related_id_enc"], where)
        acc_enc, acc = r.reenc(row["account_enc"], where)
        return {"id_enc": id_enc, "id_bidx": n.id_index(number), "related_id_enc": rel_enc,
                "related_id_bidx": n.id_index(related), "account_enc": acc_enc, "account_bidx": n.index(acc)}

    def single(column, label):
        def convert(row):
            enc, _ = r.reenc(row[column], f"{label}#{row['id']}")
            return {column: enc} if enc != row[column] else None
        return convert

    def sealed(column, purpose):
        def convert(row):
            blob = bytes(row[column] or b"")
            if not blob:
                return None
            try:
                data = r.old.decrypt_bytes(blob, purpose=purpose)
            except Exception:
                return None  # already under the new key
            return {column: r.new.encrypt_bytes(data, purpose=purpose)}
        return convert

    upload = sealed("upload_enc", b"registry-upload")

    with transaction.atomic():
        r.table("registry_person", ["id_enc", "phone_enc"], person)
        r.table("registry_orgpayee", ["import_digest"], lambda row: {"import_digest": ""} if row["import_digest"] else None)
        r.table("registry_bankaccount", ["number_enc"], account)
        r.table("registry_referencerecord", ["id_enc", "related_id_enc", "account_enc"], reference)
        r.table("registry_personevent", ["before_enc"], single("before_enc", "变动记录"))
        r.table("registry_registerimport", ["errors_enc"], single("errors_enc", "导入记录"))
        r.table("registry_registerimport", ["upload_enc"], upload)
        # Bank files (payments) are sealed with the same key.
        from yikatong.payments.exchange.storage import PURPOSE as BANK_FILE

        r.table("payments_bankfile", ["content"], sealed("content", BANK_FILE))
        # The same key protects users' TOTP secrets (accounts app): rotate them too, or
        # two-factor logins would break.
        r.table(get_user_model()._meta.db_table, ["totp_secret"], single("totp_secret", "用户"))
    return r.counts
