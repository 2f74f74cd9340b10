"""Issue 14: the five procedure tables (docs/procedures/000.md … 004.md) point at tests that exist.

Every table row has either proving tests (`path::function`, each file present and defining the function) or a
reason it is out of scope."""
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "procedures"
SEEDS = ("000", "001", "002", "003", "004")
HEADER = ["条款", "原文摘要", "功能（模块）", "证明测试", "不做的理由"]
_REF = re.compile(r"`([^`]+)`")


def rows(seed: str) -> list[list[str]]:
    """The cells of every data row of the seed's table."""
    lines = [ln.strip() for ln in (DOCS / f"{seed}.md").read_text(encoding="utf-8").splitlines()]
    table = [ln for ln in lines if ln.startswith("|")]
    assert table, f"docs/procedures/{seed}.md has no table"
    header = [c.strip() for c in table[0].strip("|").split("|")]
    assert header == HEADER, f"{seed}.md: table header {header}"
    out = []
    for ln in table[2:]:
        cells = [c.strip() for c in ln.strip("|").split("|")]
        assert len(cells) == len(HEADER), f"{seed}.md: row with {len(cells)} cells: {ln}"
        out.append(cells)
    return out


def _defines(path: Path, name: str) -> bool:
    return re.search(rf"^\s*def {re.escape(name)}\(", path.read_text(encoding="utf-8"), re.M) is not None


def problems(seed: str) -> list[str]:
    """The problems of one table."""
    found = []
    for clause, _quote, feature, tests, reason in rows(seed):
        where = f"{seed}.md 条款 {clause}（{feature}）"
        refs = _REF.findall(tests)
        if not refs and not reason:
            found.append(f"{where}: neither a test nor a reason")
        if refs and reason:
            found.append(f"{where}: both tests and an out-of-scope reason")
        if not clause:
            found.append(f"{where}: no clause number")
        for ref in refs:
            path, _, name = ref.partition("::")
            if not name:
                found.append(f"{where}: `{ref}` names no function")
                continue
            if not (ROOT / path).is_file():
                found.append(f"{where}: {path} does not exist")
            elif not _defines(ROOT / path, name):
                found.append(f"{where}: {path} has no `def {name}`")
    return found


@pytest.mark.parametrize("seed", SEEDS)
def test_every_row_points_at_an_existing_test_or_states_why_not(seed):
    found = problems(seed)
    assert not found, "\n".join(found)
    assert len(rows(seed)) >= 10


def test_the_checker_catches_a_bad_row(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "DOCS", tmp_path)
    (tmp_path / "000.md").write_text(
        "| " + " | ".join(HEADER) + " |\n|---|---|---|---|---|\n"
        "| 一 | 甲 | x | `tests/architecture/test_procedures_docs.py::no_such_function` | |\n"
        "| 二 | 乙 | y | | |\n"
        "| 三 | 丙 | z | `yikatong/rosters/tests/test_notice_print.py` | |\n", encoding="utf-8")
    found = problems("000")
    assert len(found) == 3 and "no `def no_such_function`" in found[0] and "neither" in found[1]
    assert "names no function" in found[2]
