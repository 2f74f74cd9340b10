#!/usr/bin/env python3
"""Offline dependency audit: check pinned or installed Python packages against a local copy of the
OSV vulnerability database for PyPI (the OSV project's `PyPI/all.zip` data dump: one JSON file per
advisory). Needs no network; the zip is fetched on a connected machine and carried over.

    python scripts/osv_audit.py --db all.zip                       # what this interpreter has installed
    python scripts/osv_audit.py --db all.zip -r constraints.txt    # exact pins (name==version) of a file

Prints one line per (package, version, advisory) that applies, with the fixed versions, and exits 1 if
any applies, 0 if none, 2 if the database or the requirements cannot be read. Only exact pins are
checked in a requirements file (ranges name no single version); withdrawn advisories are skipped.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from importlib import metadata

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)")


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    advisory: str
    aliases: tuple[str, ...]
    fixed: tuple[str, ...]
    summary: str


def _v(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _in_ranges(version: Version, ranges: list[dict]) -> bool:
    """OSV ECOSYSTEM ranges: events introduced / fixed / last_affected, in order."""
    for rng in ranges:
        if rng.get("type") != "ECOSYSTEM":
            continue
        affected = False
        for event in sorted(rng.get("events", []), key=lambda e: _event_key(e)):
            if "introduced" in event:
                start = event["introduced"]
                if start == "0" or ((v := _v(start)) is not None and version >= v):
                    affected = True
            elif "fixed" in event and (v := _v(event["fixed"])) is not None and version >= v:
                affected = False
            elif "last_affected" in event and (v := _v(event["last_affected"])) is not None and version > v:
                affected = False
        if affected:
            return True
    return False


def _event_key(event: dict):
    (kind, value), = event.items()
    version = Version("0") if value == "0" else (_v(value) or Version("0"))
    return version, {"introduced": 0, "last_affected": 1, "fixed": 2}.get(kind, 3)


def load_db(path: str) -> dict[str, list[dict]]:
    """canonical package name -> advisories that name it (PyPI only)."""
    db: dict[str, list[dict]] = defaultdict(list)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(".json"):
                continue
            adv = json.loads(z.read(name))
            if adv.get("withdrawn"):
                continue
            for aff in adv.get("affected", []):
                pkg = aff.get("package", {})
                if pkg.get("ecosystem") == "PyPI" and pkg.get("name"):
                    db[canonicalize_name(pkg["name"])].append(adv)
    return db


def audit(packages: dict[str, str], db: dict[str, list[dict]]) -> list[Finding]:
    out = []
    for raw_name, text in sorted(packages.items()):
        name, version = canonicalize_name(raw_name), _v(text)
        if version is None:
            continue
        for adv in db.get(name, []):
            for aff in adv.get("affected", []):
                if canonicalize_name(aff.get("package", {}).get("name", "")) != name:
                    continue
                listed = text in aff.get("versions", []) or any(_v(x) == version for x in aff.get("versions", []))
                if listed or _in_ranges(version, aff.get("ranges", [])):
                    fixed = tuple(e["fixed"] for r in aff.get("ranges", []) for e in r.get("events", []) if "fixed" in e)
                    out.append(Finding(raw_name, text, adv["id"], tuple(adv.get("aliases", [])), fixed,
                                       adv.get("summary", "")))
                    break
    return out


def pins(path: str) -> dict[str, str]:
    with open(path, encoding="utf-8") as fh:
        return {m.group(1): m.group(2) for line in fh if (m := PIN.match(line))}


def installed() -> dict[str, str]:
    return {d.metadata["Name"]: d.version for d in metadata.distributions() if d.metadata["Name"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="OSV PyPI data dump (zip of advisory JSON files)")
    parser.add_argument("-r", "--requirements", help="file of exact pins (name==version); default: installed")
    args = parser.parse_args(argv)
    try:
        db = load_db(args.db)
        packages = pins(args.requirements) if args.requirements else installed()
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        print(f"osv_audit: {exc}", file=sys.stderr)
        return 2
    findings = audit(packages, db)
    for f in findings:
        also = f" ({', '.join(f.aliases)})" if f.aliases else ""
        fix = f"; fixed in {', '.join(f.fixed)}" if f.fixed else "; no fixed version"
        print(f"{f.package}=={f.version}: {f.advisory}{also}{fix} — {f.summary}")
    print(f"{len(packages)} packages checked against {sum(len(v) for v in db.values())} advisories: "
          f"{len(findings)} known vulnerabilities", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
