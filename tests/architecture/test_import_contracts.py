"""The house's walls (docs/architecture.md, docs/adr/0008): every import-linter contract of
.importlinter is kept, so `make test` fails on a broken wall as `.ci/run` does. One test per contract,
so a failure names the wall."""
import configparser
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PREFIX = "importlinter:contract:"


def contract_ids(config: Path = CONFIG) -> list[str]:
    parser = configparser.ConfigParser()
    parser.read(config, encoding="utf-8")
    return [s[len(PREFIX):] for s in parser.sections() if s.startswith(PREFIX)]


def lint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_the_walls_named_in_the_docs_are_contracts():
    assert {"business-layers", "foundation-layers", "production-no-demo"} <= set(contract_ids())


@pytest.mark.parametrize("contract", contract_ids())
def test_contract_kept(contract):
    result = lint("--contract", contract)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout and "BROKEN" not in result.stdout


def test_a_wall_the_code_breaks_is_reported(tmp_path):
    """The checker reads this tree's imports: a contract putting core above rosters (which imports
    core everywhere) is broken, and lint-imports exits non-zero naming the edge."""
    config = tmp_path / "upside-down.ini"
    config.write_text("[importlinter]\nroot_package = yikatong\n\n"
                      "[importlinter:contract:upside-down]\nname = upside down\ntype = layers\n"
                      "containers = yikatong\nlayers =\n    core\n    rosters\n", encoding="utf-8")
    result = lint("--config", str(config))
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "yikatong.rosters is not allowed to import yikatong.core" in result.stdout
