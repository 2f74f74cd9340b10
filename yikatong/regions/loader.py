"""Load the NBS division code files (china-division CSV layout) into Region.

The directory holds, exactly as published by china-division:

    provinces.csv    code(2),  name
    cities.csv       code(4),  name, provinceCode
    areas.csv        code(6),  name, cityCode, provinceCode
    streets.csv      code(9),  name, areaCode, provinceCode, cityCode
    villages.csv.gz  code(12), name, streetCode, provinceCode, cityCode, areaCode

Codes are padded with zeros to 12 digits. The load is one transaction: files are read
in level order (parents before children), checked row by row, and upserted in chunks
with `INSERT ... ON CONFLICT (code) DO UPDATE`, which only rewrites a row whose name,
level or parent differ, so loading the same files twice changes nothing. Any bad row
raises RegionLoadError (file and line named) and rolls everything back. One audit
event records the load.

A few rows repeat their parent's 12-digit code: cities without counties (东莞市 4419 /
area 441900, 中山市, 儋州市) and 金门县 (area 350527, street 350527000 and village
350527000000). Such a row is the same region as its parent, so it is not stored on its
own; its children are attached to that parent. They are counted as `aliases`.
Regions missing from the files are never deleted.
"""
from __future__ import annotations

import csv
import gzip
import io
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from yikatong.audit.services import record

from .models import LEVEL_NAMES, LEVEL_PREFIX_LEN, Region

SHIPPED_DATA_DIR = Path(__file__).resolve().parent / "data"
"""The project's own copy of the five seed counties' subtrees (see data/README.md)."""

CHUNK_SIZE = 5000
NAME_MAX_LENGTH = Region._meta.get_field("name").max_length

ProgressCallback = Callable[[int, "int | None", str], None]


@dataclass(frozen=True)
class SourceFile:
    name: str
    level: int
    parent_column: str | None


SOURCE_FILES: tuple[SourceFile, ...] = (
    SourceFile("provinces.csv", 1, None),
    SourceFile("cities.csv", 2, "provinceCode"),
    SourceFile("areas.csv", 3, "cityCode"),
    SourceFile("streets.csv", 4, "areaCode"),
    SourceFile("villages.csv.gz", 5, "streetCode"),
)


class RegionLoadError(Exception):
    """The files cannot be loaded; nothing was changed. `file` and `line` locate the problem."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        self.file = file
        self.line = line
        if file and line:
            message = f"{file} 第 {line} 行：{message}"
        elif file:
            message = f"{file}：{message}"
        super().__init__(message)


@dataclass
class LoadResult:
    source: Path
    counts: dict[int, int] = field(default_factory=lambda: {level: 0 for level in LEVEL_NAMES})
    """Regions loaded per level (1..5): inserted, updated or already identical."""
    changed: int = 0
    """Rows actually inserted or updated (0 when the same files are loaded again)."""
    aliases: int = 0
    """Rows skipped because their 12-digit code is their parent's (see module docstring)."""
    counties: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def load_regions(
    directory: str | Path = SHIPPED_DATA_DIR,
    *,
    counties: Iterable[str] | None = None,
    progress: ProgressCallback | None = None,
    actor=None,
    chunk_size: int = CHUNK_SIZE,
) -> LoadResult:
    """Upsert the regions of `directory` (all of them, or only `counties`' subtrees and ancestors).

    `counties` are 6-digit county codes; `progress(done, total_or_None, message)` is called
    after each chunk and each file. Raises RegionLoadError (nothing changed) on bad input.
    """
    started = time.monotonic()
    directory = Path(directory)
    wanted = _check_counties(counties)
    result = LoadResult(source=directory, counties=tuple(sorted(wanted)) if wanted is not None else ())
    if not directory.is_dir():
        raise RegionLoadError(f"区划数据目录不存在：{directory}")
    for source in SOURCE_FILES:
        if not (directory / source.name).is_file():
            raise RegionLoadError(f"缺少文件 {directory / source.name}", file=source.name)

    writer = _Upserter(chunk_size)
    with transaction.atomic():
        parent_codes: set[str] = set()  # raw codes of the previous level, as written in the files
        parent_selected: set[str] = set()
        seen: set[int] = set()  # 12-digit codes already read, to reject duplicates
        for source in SOURCE_FILES:
            keep_codes = source.level < 5  # villages have no children: no need to remember them
            codes: set[str] = set()
            selected: set[str] = set()
            done = 0
            for line, code, name, parent in _read_rows(directory / source.name, source):
                if parent is not None:
                    if parent not in parent_codes:
                        raise RegionLoadError(
                            f"上级区划代码“{parent}”在 {SOURCE_FILES[source.level - 2].name} 中不存在",
                            file=source.name,
                            line=line,
                        )
                    if not code.startswith(parent):
                        raise RegionLoadError(
                            f"区划代码“{code}”与上级区划代码“{parent}”不符", file=source.name, line=line
                        )
                if wanted is None:
                    is_selected = True
                elif source.level <= 3:
                    is_selected = any(c.startswith(code) for c in wanted) if source.level < 3 else code in wanted
                else:
                    is_selected = parent in parent_selected
                if keep_codes:
                    codes.add(code)
                    if is_selected:
                        selected.add(code)
                full = code.ljust(12, "0")
                parent_full = parent.ljust(12, "0") if parent is not None else None
                if full == parent_full:
                    result.aliases += int(is_selected)
                    continue
                key = int(full)
                if key in seen:
                    raise RegionLoadError(f"区划代码“{code}”重复", file=source.name, line=line)
                seen.add(key)
                if not is_selected:
                    continue
                writer.add((full, name, source.level, parent_full))
                result.counts[source.level] += 1
                done += 1
                if writer.full():
                    result.changed += writer.flush()
                    if progress:
                        progress(done, None, f"正在导入{LEVEL_NAMES[source.level]}：已处理 {done} 个")
            result.changed += writer.flush()  # parents are stored before any child is read
            if wanted is not None and source.level == 3 and wanted - selected:
                missing = "、".join(sorted(wanted - selected))
                raise RegionLoadError(f"没有找到县级区划代码 {missing}", file=source.name)
            if progress:
                progress(done, done, f"{LEVEL_NAMES[source.level]}导入完成：{done} 个")
            parent_codes, parent_selected = codes, selected

        record(
            actor=actor,
            action="regions.load",
            object_type="regions.region",
            object_id=directory.name,
            object_repr=f"导入行政区划代码（{directory.name}）",
            after={str(level): count for level, count in result.counts.items()},
        )
    result.seconds = time.monotonic() - started
    return result


def _check_counties(counties: Iterable[str] | None) -> set[str] | None:
    if counties is None:
        return None
    if isinstance(counties, str):
        counties = [counties]
    wanted = {str(c).strip() for c in counties}
    bad = sorted(c for c in wanted if len(c) != 6 or not c.isdigit())
    if bad:
        raise RegionLoadError(f"县级区划代码应为 6 位数字：{'、'.join(bad)}")
    if not wanted:
        raise RegionLoadError("未指定要导入的县级区划代码")
    return wanted


def _open_text(path: Path) -> io.TextIOBase:
    # utf-8-sig: accept a byte-order mark written by spreadsheet programs.
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _read_rows(path: Path, source: SourceFile) -> Iterator[tuple[int, str, str, str | None]]:
    """Yield (line, code, name, parent code or None) for each checked data row of one file."""
    code_len = LEVEL_PREFIX_LEN[source.level]
    parent_len = LEVEL_PREFIX_LEN[source.level - 1] if source.parent_column else None
    line = 1
    try:
        with _open_text(path) as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise RegionLoadError("文件为空，缺少表头", file=source.name, line=1)
            header = [h.strip() for h in header]
            columns = ["code", "name"] + ([source.parent_column] if source.parent_column else [])
            missing = [c for c in columns if c not in header]
            if missing:
                raise RegionLoadError(f"缺少列“{'”“'.join(missing)}”", file=source.name, line=1)
            code_i, name_i = header.index("code"), header.index("name")
            parent_i = header.index(source.parent_column) if source.parent_column else None
            width = max(code_i, name_i, parent_i or 0) + 1
            for row in reader:
                line = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank line
                if len(row) < width:
                    raise RegionLoadError(f"列数不足（应至少 {width} 列，实为 {len(row)} 列）", file=source.name, line=line)
                code = row[code_i].strip()
                if len(code) != code_len or not code.isdigit():
                    raise RegionLoadError(
                        f"区划代码“{code}”应为 {code_len} 位数字", file=source.name, line=line
                    )
                name = row[name_i].strip()
                if not name:
                    raise RegionLoadError(f"区划代码“{code}”缺少名称", file=source.name, line=line)
                if len(name) > NAME_MAX_LENGTH:
                    raise RegionLoadError(
                        f"名称过长（超过 {NAME_MAX_LENGTH} 个字符）", file=source.name, line=line
                    )
                parent = None
                if parent_i is not None:
                    parent = row[parent_i].strip()
                    if len(parent) != parent_len or not parent.isdigit():
                        raise RegionLoadError(
                            f"{source.parent_column}“{parent}”应为 {parent_len} 位数字", file=source.name, line=line
                        )
                yield line, code, name, parent
    except UnicodeDecodeError as exc:
        raise RegionLoadError(f"文件不是 UTF-8 编码（{exc.reason}）", file=source.name, line=line + 1) from exc
    except (csv.Error, OSError, EOFError, zlib.error) as exc:  # EOFError, BadGzipFile, zlib.error: bad gzip
        raise RegionLoadError(f"无法读取文件：{exc}", file=source.name, line=line + 1) from exc


class _Upserter:
    """Buffers rows and writes each chunk with `executemany`; flush() returns the rows changed.

    Each statement carries up to ROWS_PER_STATEMENT rows (multi-row VALUES): about 3x faster
    than one row per statement on SQLite, and on PostgreSQL it saves a round trip per row.
    """

    ROWS_PER_STATEMENT = 200

    def __init__(self, chunk_size: int):
        self.chunk_size = chunk_size
        self.rows: list[tuple[str, str, int, str | None]] = []
        max_params = connection.features.max_query_params or 4 * self.ROWS_PER_STATEMENT
        self.per_statement = max(1, min(self.ROWS_PER_STATEMENT, max_params // 4))
        qn = connection.ops.quote_name
        opts = Region._meta
        self.table = qn(opts.db_table)
        self.columns = tuple(qn(opts.get_field(f).column) for f in ("code", "name", "level", "parent"))
        self._sql_cache: dict[int, str] = {}

    def sql(self, rows: int) -> str:
        if rows not in self._sql_cache:
            table = self.table
            code, name, level, parent = self.columns
            values = ", ".join(["(%s, %s, %s, %s)"] * rows)
            # The WHERE clause skips identical rows: a second load writes nothing.
            self._sql_cache[rows] = (
                f"INSERT INTO {table} ({code}, {name}, {level}, {parent}) VALUES {values} "
                f"ON CONFLICT ({code}) DO UPDATE SET "
                f"{name} = excluded.{name}, {level} = excluded.{level}, {parent} = excluded.{parent} "
                f"WHERE {table}.{name} <> excluded.{name} OR {table}.{level} <> excluded.{level} "
                f"OR COALESCE({table}.{parent}, '') <> COALESCE(excluded.{parent}, '')"
            )
        return self._sql_cache[rows]

    def add(self, row: tuple[str, str, int, str | None]) -> None:
        self.rows.append(row)

    def full(self) -> bool:
        return len(self.rows) >= self.chunk_size

    def flush(self) -> int:
        rows, self.rows = self.rows, []
        n = self.per_statement
        whole = len(rows) - len(rows) % n
        groups = [(n, [rows[i : i + n] for i in range(0, whole, n)])]
        if whole < len(rows):
            groups.append((len(rows) - whole, [rows[whole:]]))
        changed = 0
        with connection.cursor() as cursor:
            for size, batches in groups:
                if not batches:
                    continue
                params = [batch[0] for batch in batches] if size == 1 else [_flat(batch) for batch in batches]
                cursor.executemany(self.sql(size), params)
                changed += max(cursor.rowcount, 0)
        return changed


def _flat(rows: list[tuple]) -> list:
    return [value for row in rows for value in row]
