"""Data key rotation: re-encrypt every ciphertext and recompute every blind index, atomically.

Procedure (docs in docs/datasets/README.md, "密钥轮换"): stop the web server and the worker,
back up the database, put the new key in YKT_DATA_KEY (or var/data_key), then run
    yikatong registry rotate-key --old-key-file /secure/old.key
One transaction: either everything is under the new key or nothing changed. Values already
under the new key (a second run) are left alone; a value that neither key opens aborts it all.

What to rotate is declared by each app in its pii_columns.py (core/keyed.py). Two passes:
1. blind indexes with no plaintext beside them (`Mapped`) and the apps' REKEY hooks, while the
   rows holding the plaintext still carry the old indexes to look them up by;
2. every table's ciphertexts, the indexes computed from them and the digests to clear.
Rows are read in id order, CHUNK at a time (fewer for tables holding files): memory stays bounded.
"""
from __future__ import annotations

from cryptography.exceptions import InvalidTag
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from yikatong.audit.services import record
from yikatong.core.crypto import DecryptionError, Vault
from yikatong.core.keyed import Bytes, Cleared, Index, Mapped, Text, declared, hooks

CHUNK = 2000
FILE_CHUNK = 20  # rows per read of a table with encrypted files
LOOKUP = 500  # blind indexes looked up per query when mapping


class RotationError(RuntimeError):
    pass


def _where(model, pk, column: str) -> str:
    return f"{model._meta.verbose_name}（表 {model._meta.db_table}）第 {pk} 行的 {column}"


class _Rotator:
    def __init__(self, old: Vault, new: Vault, columns: dict):
        self.old, self.new = old, new
        self.columns = {apps.get_model(label): cols for label, cols in columns.items()}
        self.counts: dict[str, int] = {}

    # ---- values ----------------------------------------------------------------------

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

    def blob(self, value, purpose: bytes, where: str) -> bytes | None:
        """The blob re-encrypted under the new key, None if it already is (or is empty)."""
        data = bytes(value or b"")
        if not data:
            return None
        try:
            return self.new.encrypt_bytes(self.old.decrypt_bytes(data, purpose=purpose), purpose=purpose)
        except (InvalidTag, ValueError):
            pass
        try:
            self.new.decrypt_bytes(data, purpose=purpose)
        except (InvalidTag, ValueError) as exc:
            raise RotationError(f"{where} 的加密文件用新旧密钥都无法解密，已全部撤销") from exc
        return None

    # ---- reading and writing in chunks -------------------------------------------------

    def _count(self, model, column: str, n: int) -> None:
        if n:
            key = f"{model._meta.db_table}.{column}"
            self.counts[key] = self.counts.get(key, 0) + n

    def walk(self, model, fields: list[str], convert, chunk: int = CHUNK, prepare=None) -> None:
        """convert(row dict by field name, "pk" the id) -> {field: new value} for the fields that
        change; prepare(row dicts) sees each chunk first."""
        table, pk = model._meta.db_table, model._meta.pk.column
        cols = [model._meta.get_field(f).column for f in fields]
        select = ", ".join(connection.ops.quote_name(c) for c in [pk, *cols])
        last = None
        while True:
            where = f"WHERE {connection.ops.quote_name(pk)} > %s " if last is not None else ""
            with connection.cursor() as cur:
                cur.execute(f"SELECT {select} FROM {connection.ops.quote_name(table)} {where}"
                            f"ORDER BY {connection.ops.quote_name(pk)} LIMIT {chunk}", [last] if last is not None else [])
                rows = cur.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            dicts = [dict(zip(["pk", *fields], row)) for row in rows]
            if prepare:
                prepare(dicts)
            updates: dict[tuple[str, ...], list] = {}
            for row in dicts:
                values = convert(row)
                if values:
                    keys = tuple(sorted(values))
                    updates.setdefault(keys, []).append([values[k] for k in keys] + [row["pk"]])
                    for k in keys:
                        self._count(model, k, 1)
            with connection.cursor() as cur:
                for keys, params in updates.items():
                    sets = ", ".join(f"{connection.ops.quote_name(model._meta.get_field(k).column)} = %s" for k in keys)
                    cur.executemany(f"UPDATE {connection.ops.quote_name(table)} SET {sets} "
                                    f"WHERE {connection.ops.quote_name(pk)} = %s", params)

    # ---- pass 2: ciphertexts and what is computed from them -----------------------------

    def rotate_table(self, model, cols) -> None:
        fields = list(dict.fromkeys(
            name for c in cols for name in ((c.column, c.of) if isinstance(c, Index) else (c.column,))))
        new = self.new

        def convert(row):
            changed, plain = {}, {}
            for c in cols:
                if isinstance(c, Text):
                    text, needed = self.plain(row[c.column], _where(model, row["pk"], c.column))
                    plain[c.column] = text
                    if needed:
                        changed[c.column] = new.encrypt(text)
                elif isinstance(c, Bytes):
                    blob = self.blob(row[c.column], c.purpose, _where(model, row["pk"], c.column))
                    if blob is not None:
                        changed[c.column] = blob
                elif isinstance(c, Cleared) and row[c.column]:
                    changed[c.column] = ""
            for c in cols:
                if isinstance(c, Index):
                    if not plain[c.of] and row[c.column]:
                        raise RotationError(f"{_where(model, row['pk'], c.column)} 有盲索引却没有对应的密文 {c.of}，"
                                            "无法重算，已全部撤销")
                    value = getattr(new, c.fn)(plain[c.of]) if plain[c.of] else ""
                    if value != (row[c.column] or ""):
                        changed[c.column] = value
            return changed

        self.walk(model, fields, convert, FILE_CHUNK if any(isinstance(c, Bytes) for c in cols) else CHUNK)

    # ---- pass 1: indexes without their plaintext -----------------------------------------

    def sources(self, fn: str | None):
        """(model, Index) of every index computed beside its plaintext, of function fn (any if None)."""
        return [(m, c) for m, cols in self.columns.items() for c in cols
                if isinstance(c, Index) and (fn is None or c.fn == fn)]

    def map_indexes(self, values, fn: str | None = None) -> dict[str, str]:
        """{old or current index: new index} for `values`, through the rows that hold the plaintext.
        Values found nowhere are left out (the caller names the row at fault)."""
        todo = sorted({v for v in values if v})
        found: dict[str, str] = {}
        for i in range(0, len(todo), LOOKUP):
            part = set(todo[i:i + LOOKUP])
            for model, c in self.sources(fn):
                if not part:
                    break
                q = model._base_manager.filter(**{f"{c.column}__in": list(part)}).order_by()
                for pk, index, token in q.values_list("pk", c.column, c.of).iterator(chunk_size=LOOKUP):
                    if index in part and token:
                        text, _ = self.plain(token, _where(model, pk, c.of))
                        found[index] = getattr(self.new, c.fn)(text)
                        part.discard(index)
                        if not part:
                            break
        return found

    def rotate_mapped(self, model, cols) -> None:
        fn = cols[0].fn if len({c.fn for c in cols}) == 1 else None
        mapping: dict[str, str] = {}

        def prepare(rows):  # the chunk's values, mapped in a few queries
            mapping.clear()
            mapping.update(self.map_indexes((row[c.column] for row in rows for c in cols), fn))

        def convert(row):
            changed = {}
            for c in cols:
                value = row[c.column]
                if not value:
                    continue
                new = mapping.get(value)
                if new is None:
                    raise RotationError(f"{_where(model, row['pk'], c.column)} 的盲索引在存有原文的各表中都找不到，"
                                        "无法换算为新密钥的索引，已全部撤销")
                if new != value:
                    changed[c.column] = new
            return changed

        self.walk(model, [c.column for c in cols], convert, prepare=prepare)

    def rekey_hooks(self) -> None:
        for name, hook in hooks():
            n = hook(self.map_indexes)
            if n:
                self.counts[name] = n

    def run(self) -> None:
        for model, cols in self.columns.items():
            mapped = [c for c in cols if isinstance(c, Mapped)]
            if mapped:
                self.rotate_mapped(model, mapped)
        self.rekey_hooks()
        for model, cols in self.columns.items():
            rest = [c for c in cols if not isinstance(c, Mapped)]
            if rest:
                self.rotate_table(model, rest)


def key_rotate(*, old_key: str, new_key: str | None = None, actor=None) -> dict[str, int]:
    new_key = new_key or settings.YKT_DATA_KEY
    if not old_key or old_key == new_key:
        raise RotationError("旧密钥为空或与新密钥相同")
    r = _Rotator(Vault(old_key), Vault(new_key), declared())
    with transaction.atomic():
        r.run()
        record(actor=actor, action="registry.rotate_key", object_type="registry.datakey",
               object_repr="数据密钥轮换", after={"changed": r.counts})
    return r.counts
