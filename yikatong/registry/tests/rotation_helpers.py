"""Assertions over every declared key-dependent column (core/keyed.py), for rotation tests."""
from cryptography.exceptions import InvalidTag
from django.apps import apps

from yikatong.core import crypto
from yikatong.core.keyed import Bytes, Cleared, Index, Mapped, Text, declared


def snapshot() -> dict:
    """{(model label, pk): {column: value}} of every declared column of every row."""
    out = {}
    for label, cols in declared().items():
        fields = list(dict.fromkeys(c.column for c in cols))
        for row in apps.get_model(label)._base_manager.values("pk", *fields):
            out[(label, row.pop("pk"))] = {k: (bytes(v) if isinstance(v, memoryview) else v) for k, v in row.items()}
    return out


def assert_all_under(new, old) -> dict[str, int]:
    """Every ciphertext opens with `new` and not with `old`, every index is `new`'s; returns how
    many non-empty values were checked per kind (so a test can see the tables were not empty)."""
    checked = {"text": 0, "bytes": 0, "index": 0, "mapped": 0}
    indexes: dict[str, set] = {}
    rows = snapshot()
    for (label, pk), values in rows.items():
        for c in declared()[label]:
            value, where = values[c.column], f"{label}#{pk}.{c.column}"
            if isinstance(c, Text) and value:
                new.decrypt(value)
                try:
                    old.decrypt(value)
                except crypto.DecryptionError:
                    checked["text"] += 1
                else:
                    raise AssertionError(f"{where} still opens with the old key")
            elif isinstance(c, Bytes) and value:
                new.decrypt_bytes(value, purpose=c.purpose)
                try:
                    old.decrypt_bytes(value, purpose=c.purpose)
                except InvalidTag:
                    checked["bytes"] += 1
                else:
                    raise AssertionError(f"{where} still opens with the old key")
            elif isinstance(c, Index):
                plain = new.decrypt(values[c.of]) if values[c.of] else ""
                assert value == (getattr(new, c.fn)(plain) if plain else ""), where
                checked["index"] += bool(value)
                indexes.setdefault(c.fn, set()).add(value)
            elif isinstance(c, Cleared):
                assert value == "", where
    for (label, pk), values in rows.items():
        for c in declared()[label]:
            if isinstance(c, Mapped) and values[c.column]:
                assert values[c.column] in indexes.get(c.fn, ()), f"{label}#{pk}.{c.column}"
                checked["mapped"] += 1
    return checked
