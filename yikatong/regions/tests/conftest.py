import gzip
import shutil
from pathlib import Path

import pytest

from yikatong.regions.loader import SHIPPED_DATA_DIR, load_regions

# county code -> (name, townships, villages), as stated in data/README.md
SEED_COUNTIES = {
    "652301": ("昌吉市", 22, 167),
    "532301": ("楚雄市", 15, 154),
    "210381": ("海城市", 26, 435),
    "650121": ("乌鲁木齐县", 8, 49),
    "141024": ("洪洞县", 15, 343),
}
SUBSET_COUNTS = {1: 4, 2: 5, 3: 5, 4: 86, 5: 1148}


@pytest.fixture
def shipped(db):
    """The shipped subset, loaded."""
    return load_regions(SHIPPED_DATA_DIR)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the shipped files."""
    target = tmp_path / "regions"
    shutil.copytree(SHIPPED_DATA_DIR, target, ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__"))
    return target


def read_lines(path: Path) -> list[str]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return f.read().splitlines(keepends=True)


def write_lines(path: Path, lines: list[str]) -> None:
    data = "".join(lines).encode("utf-8")
    if path.name.endswith(".gz"):
        with gzip.open(path, "wb") as f:
            f.write(data)
    else:
        path.write_bytes(data)


def edit_line(path: Path, number: int, transform) -> str:
    """Replace line `number` (1-based, header is 1) by transform(line); return the new line."""
    lines = read_lines(path)
    lines[number - 1] = transform(lines[number - 1])
    write_lines(path, lines)
    return lines[number - 1]


def write_tree(directory: Path, files: dict[str, str]) -> Path:
    """Write small CSV files (text as given; villages gzipped) into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_lines(directory / name, [text])
    return directory
