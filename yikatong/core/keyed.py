"""Which columns depend on the data key (YKT_DATA_KEY): declared by each app, walked by the rotator.

Every app that stores ciphertexts or blind indexes lists them in its own `pii_columns.py`:

    from yikatong.core.keyed import Bytes, Index, Mapped, Text

    COLUMNS = {
        "rosters.BatchItem": (Text("id_enc"), Index("id_bidx", of="id_enc", fn=ID), ...),
    }

Kinds:
- `Text`: a "v1:" ciphertext (core.crypto: Vault.encrypt or encrypt, same format);
- `Bytes`: a Vault.encrypt_bytes blob with its `purpose` (associated data);
- `Index`: a blind index of the plaintext of a `Text` column of the same row, by Vault function
  `fn` (INDEX, ID, ID_MASK: core.crypto.Vault methods);
- `Mapped`: a blind index with no plaintext beside it (e.g. a copy in a finding): mapped old
  index -> new index through the rows that have the plaintext (every `Index` with the same `fn`);
- `Cleared`: a keyed digest only used to skip unchanged rows; emptied (recomputed on next use).

The rotation job (registry.rotation) walks `declared()`; a test fails when a model has a *_enc, *_encrypted or
*_bidx column that no app declares.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.apps import apps

from .crypto import ID, ID_MASK, INDEX

__all__ = ["INDEX", "ID", "ID_MASK", "Text", "Bytes", "Index", "Mapped", "Cleared", "Column", "declared", "hooks"]

MODULE = "pii_columns"


@dataclass(frozen=True)
class Text:
    column: str


@dataclass(frozen=True)
class Bytes:
    column: str
    purpose: bytes


@dataclass(frozen=True)
class Index:
    column: str
    of: str
    fn: str = INDEX


@dataclass(frozen=True)
class Mapped:
    column: str
    fn: str = ID


@dataclass(frozen=True)
class Cleared:
    column: str


Column = Text | Bytes | Index | Mapped | Cleared


def _modules():
    for config in apps.get_app_configs():
        try:
            yield config, importlib.import_module(f"{config.name}.{MODULE}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{MODULE}":
                raise


def hooks():
    """(name, hook) of every app's pii_columns.REKEY: hook(map_indexes) fixes values derived from
    blind indexes that no declaration covers (e.g. hashes of them) and returns how many it changed.
    It runs before the indexes are rotated; map_indexes(values, fn=None) -> {index: new index}."""
    for config, module in _modules():
        for hook in getattr(module, "REKEY", ()):
            yield f"{config.label}.{hook.__name__}", hook


def declared() -> dict[str, tuple[Column, ...]]:
    """{model label: columns} of every installed app's pii_columns.COLUMNS, in app order."""
    found: dict[str, tuple[Column, ...]] = {}
    for _config, module in _modules():
        for label, columns in module.COLUMNS.items():
            if label in found:
                raise ValueError(f"{label} declared twice")
            apps.get_model(label)  # the label must name a model
            found[label] = tuple(columns)
    return found
