"""Cut the project's copy of the seed counties out of the full china-division files.

    python yikatong/regions/data/make_subset.py [SOURCE_DIR] [--out DIR]

SOURCE_DIR (default /work/shared/data/regions, or $YKT_REGIONS_DIR) holds provinces.csv,
cities.csv, areas.csv, streets.csv and villages.csv.gz. Every kept line is copied byte for
byte, so the subset has the same columns, quoting and line endings as the original: the
ancestors' rows in provinces/cities/areas, and all streets and villages of each county.
The gzip is written with a zero timestamp so that re-running gives identical files.
Needs only the standard library.
"""
import argparse
import csv
import gzip
import os
from pathlib import Path

COUNTIES = {
    "141024": "洪洞县",  # seed 004 Hongtong
    "652301": "昌吉市",  # seed 000 Xinjiang procedure
    "532301": "楚雄市",  # seed 001 Chuxiong
    "210381": "海城市",  # seed 002 Liaoning / Haicheng
    "650121": "乌鲁木齐县",  # seed 003 Urumqi
}

# file -> function(row as dict) -> keep?
KEEP = {
    "provinces.csv": lambda r: any(c.startswith(r["code"]) for c in COUNTIES),
    "cities.csv": lambda r: any(c.startswith(r["code"]) for c in COUNTIES),
    "areas.csv": lambda r: r["code"] in COUNTIES,
    "streets.csv": lambda r: r["areaCode"] in COUNTIES,
    "villages.csv.gz": lambda r: r["areaCode"] in COUNTIES,
}


def _lines(path: Path):
    if path.name.endswith(".gz"):
        with gzip.open(path, "rb") as f:
            yield from f
    else:
        with open(path, "rb") as f:
            yield from f


def cut(source: Path, out: Path) -> dict[str, int]:
    """Write the subset of each file of `source` into `out`; return data rows kept per file."""
    out.mkdir(parents=True, exist_ok=True)
    kept: dict[str, int] = {}
    for name, keep in KEEP.items():
        lines = _lines(source / name)
        header = next(lines)
        columns = next(csv.reader([header.decode("utf-8-sig")]))
        chosen = [header]
        for raw in lines:
            row = dict(zip(columns, next(csv.reader([raw.decode("utf-8")]))))
            if keep(row):
                chosen.append(raw)
        data = b"".join(chosen)
        if name.endswith(".gz"):
            with open(out / name, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as gz:
                gz.write(data)
        else:
            (out / name).write_bytes(data)
        kept[name] = len(chosen) - 1
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "source", nargs="?", default=os.environ.get("YKT_REGIONS_DIR", "/work/shared/data/regions"), type=Path
    )
    parser.add_argument("--out", default=Path(__file__).resolve().parent, type=Path)
    args = parser.parse_args()
    for name, count in cut(args.source, args.out).items():
        print(f"{name}\t{count}")


if __name__ == "__main__":
    main()
