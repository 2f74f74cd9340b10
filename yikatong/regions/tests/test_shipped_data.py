"""The shipped subset is what make_subset.py cuts from the full files, and its README is right."""
import csv
import gzip
import importlib.util
import os
import re
from pathlib import Path

import pytest

from yikatong.regions.loader import SHIPPED_DATA_DIR, SOURCE_FILES

from .conftest import SEED_COUNTIES

FULL_DATA = Path(os.environ.get("YKT_REGIONS_DIR", "/work/shared/data/regions"))


def _make_subset():
    spec = importlib.util.spec_from_file_location("make_subset", SHIPPED_DATA_DIR / "make_subset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(name):
    path = SHIPPED_DATA_DIR / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_shipped_files_exist_and_readme_counts_match():
    readme = (SHIPPED_DATA_DIR / "README.md").read_text(encoding="utf-8")
    for source in SOURCE_FILES:
        count = len(_rows(source.name))
        assert re.search(rf"\| {re.escape(source.name)} \| [^|]+ \| {count:,} \|", readme), source.name
    assert set(_make_subset().COUNTIES) == set(SEED_COUNTIES)


@pytest.mark.skipif(not (FULL_DATA / "villages.csv.gz").exists(), reason="full region files not present")
def test_shipped_subset_is_reproducible(tmp_path):
    kept = _make_subset().cut(FULL_DATA, tmp_path)
    assert kept["villages.csv.gz"] == 1148
    for source in SOURCE_FILES:
        assert (tmp_path / source.name).read_bytes() == (SHIPPED_DATA_DIR / source.name).read_bytes(), source.name
