"""scripts/osv_audit.py: the offline dependency audit finds an advisory that applies to a pinned or
installed version, ignores ones that do not (fixed before, introduced after, withdrawn, another
ecosystem), and answers with its exit code. The database is a small OSV zip made here."""
import importlib.util
import json
import sys
import zipfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "osv_audit.py"
spec = importlib.util.spec_from_file_location("osv_audit", SCRIPT)
osv_audit = importlib.util.module_from_spec(spec)
sys.modules["osv_audit"] = osv_audit  # dataclasses look their module up
spec.loader.exec_module(osv_audit)


def _adv(id_, name, events=None, versions=(), ecosystem="PyPI", **extra):
    aff = {"package": {"ecosystem": ecosystem, "name": name}, "versions": list(versions)}
    if events:
        aff["ranges"] = [{"type": "ECOSYSTEM", "events": events}]
    return {"id": id_, "summary": f"summary of {id_}", "aliases": [f"CVE-{id_}"], "affected": [aff], **extra}


@pytest.fixture
def db(tmp_path):
    advisories = [
        _adv("PYSEC-1", "Django", [{"introduced": "5.2"}, {"fixed": "5.2.20"}]),  # applies to 5.2.19
        _adv("PYSEC-2", "django", [{"introduced": "0"}, {"fixed": "4.2.1"}]),  # fixed long before
        _adv("PYSEC-3", "Django", [{"introduced": "6.0"}]),  # introduced after
        _adv("PYSEC-4", "Django", [{"introduced": "0"}], withdrawn="2026-01-01T00:00:00Z"),  # withdrawn
        _adv("GHSA-5", "django", [{"introduced": "0"}], ecosystem="npm"),  # not PyPI
        _adv("PYSEC-6", "python_calamine", versions=["0.9.1"]),  # listed version, normalised name
        _adv("PYSEC-7", "segno", [{"introduced": "1.0"}, {"last_affected": "1.6.5"}]),  # 1.6.6 is past it
    ]
    path = tmp_path / "all.zip"
    with zipfile.ZipFile(path, "w") as z:
        for a in advisories:
            z.writestr(f"{a['id']}.json", json.dumps(a))
    return path


def test_finds_exactly_the_advisories_that_apply_to_the_pins(db, tmp_path, capsys):
    req = tmp_path / "constraints.txt"
    req.write_text("# pins\nDjango==5.2.19\npython-calamine==0.9.1\nsegno==1.6.6\nrequests>=2\n")
    assert osv_audit.main(["--db", str(db), "-r", str(req)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == ["Django==5.2.19", "python-calamine==0.9.1"]
    assert "PYSEC-1 (CVE-PYSEC-1); fixed in 5.2.20" in out[0] and "PYSEC-6" in out[1]


def test_clean_pins_exit_zero_and_an_unreadable_database_exits_two(db, tmp_path):
    req = tmp_path / "req.txt"
    req.write_text("Django==5.2.20\n")
    assert osv_audit.main(["--db", str(db), "-r", str(req)]) == 0
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    assert osv_audit.main(["--db", str(bad), "-r", str(req)]) == 2


def test_audits_the_installed_distributions_by_default(db, capsys):
    # the project's own environment pins Django 5.2.19 (pyproject): the fixture's PYSEC-1 applies
    assert osv_audit.main(["--db", str(db)]) == 1
    assert "Django==5.2.19: PYSEC-1" in capsys.readouterr().out
