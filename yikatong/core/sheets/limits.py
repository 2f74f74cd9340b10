"""Limits of the xlsx pre-check and of the parser child, from Django settings when configured
(yikatong/settings/uploads.py), else these defaults (scripts that use the sheets package alone)."""
from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_uncompressed: int = 512 * MB   # all members of the zip together, as declared
    max_ratio: int = 100               # declared uncompressed / compressed size of one member
    ratio_floor: int = 1 * MB          # members smaller than this are never a bomb
    max_members: int = 10_000
    max_rows: int = 1_048_576
    max_columns: int = 200
    max_cells: int = 20_000_000
    memory_mb: int = 1536              # RLIMIT_AS of the parser child
    timeout_s: int = 120               # wall time until the child has read the workbook


def current() -> Limits:
    try:
        from django.conf import settings

        if not settings.configured:
            return Limits()
        d = Limits()
        return Limits(
            max_uncompressed=int(getattr(settings, "YKT_XLSX_MAX_UNCOMPRESSED_MB", d.max_uncompressed // MB)) * MB,
            max_ratio=int(getattr(settings, "YKT_XLSX_MAX_RATIO", d.max_ratio)),
            max_rows=int(getattr(settings, "YKT_XLSX_MAX_ROWS", d.max_rows)),
            max_columns=int(getattr(settings, "YKT_XLSX_MAX_COLUMNS", d.max_columns)),
            max_cells=int(getattr(settings, "YKT_XLSX_MAX_CELLS", d.max_cells)),
            memory_mb=int(getattr(settings, "YKT_PARSER_MAX_MEMORY_MB", d.memory_mb)),
            timeout_s=int(getattr(settings, "YKT_PARSER_TIMEOUT_S", d.timeout_s)),
        )
    except ImportError:  # pragma: no cover - Django is always installed with yikatong
        return Limits()
