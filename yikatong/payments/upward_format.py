"""The upward exchange file format YKT-UP1 (docs/exchange/upward.md): the fields in order, the CSV
writer with its H/F/D/T records, the JSON writer with its manifest, and the readers that parse both
back (used by the tests and by anyone checking a file). Both writers take rows one at a time and write
them as they come: nothing holds the period's rows in memory."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field

FORMAT = "YKT-UP1"
PURPOSE = b"ykt.payments.upward-export.v1"  # core.sealed associated data of both files

#: (name, type) of each detail field, in file order; types: str, int (integer, fen for amounts), date (ISO)
FIELDS = (
    ("county_code", "str"), ("township_code", "str"), ("village_code", "str"),
    ("policy_code", "str"), ("policy_name", "str"),
    ("fund_central_bp", "int"), ("fund_province_bp", "int"), ("fund_prefecture_bp", "int"), ("fund_county_bp", "int"),
    ("fund_docs", "str"),
    ("batch_period", "str"), ("batch_code", "str"), ("bank_batch_no", "str"), ("item_ref", "str"),
    ("payee_name", "str"), ("payee_kind", "str"), ("payee_id", "str"), ("bank_name", "str"), ("account_masked", "str"),
    ("amount_fen", "int"), ("status", "str"), ("reason_code", "str"),
    ("business_date", "date"), ("paid_date", "date"), ("bank_txn_id", "str"),
)
NAMES = tuple(n for n, _ in FIELDS)
INT_FIELDS = frozenset(n for n, t in FIELDS if t == "int")
STATUSES = ("paid", "failed", "returned")


@dataclass
class Totals:
    row_count: int = 0
    total_fen: int = 0
    paid_count: int = 0
    paid_fen: int = 0
    failed_count: int = 0  # failed lines, the returned ones included
    failed_fen: int = 0
    returned_count: int = 0
    returned_fen: int = 0

    def add(self, row: dict) -> None:
        amount = row["amount_fen"]
        self.row_count += 1
        self.total_fen += amount
        if row["status"] == "paid":
            self.paid_count += 1
            self.paid_fen += amount
        else:
            self.failed_count += 1
            self.failed_fen += amount
            if row["status"] == "returned":
                self.returned_count += 1
                self.returned_fen += amount

    def as_list(self) -> list[int]:
        return [self.row_count, self.total_fen, self.paid_count, self.paid_fen, self.failed_count, self.failed_fen,
                self.returned_count, self.returned_fen]


TOTAL_NAMES = tuple(Totals.__dataclass_fields__)


class _HashingSink:
    """A binary file that also hashes what is written to it."""

    def __init__(self, raw):
        self.raw = raw
        self.sha = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.raw.write(data)
        self.sha.update(data)


def _csv_line(values) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(values)
    return buf.getvalue().encode("utf-8")


def canonical(record: dict) -> bytes:
    """A record as the JSON file writes it (and as records_sha256 hashes it, each followed by LF)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass
class UpwardWriter:
    """Writes the CSV to `csv_out` and the JSON to `json_out` (binary files) as rows are added."""

    csv_out: object
    json_out: object
    header: dict  # format, county_code, period, version, generated_at
    totals: Totals = field(default_factory=Totals)

    def __post_init__(self):
        self._csv = _HashingSink(self.csv_out)
        self._json = _HashingSink(self.json_out)
        self._records = hashlib.sha256()
        h = self.header
        self._csv.write(_csv_line(["H", h["format"], h["county_code"], h["period"], h["version"], h["generated_at"],
                                   len(FIELDS)]))
        self._csv.write(_csv_line(["F", *NAMES]))
        self._json.write(b'{"header":' + canonical(h) + b',\n"records":[')

    def add(self, row: dict) -> None:
        record = {n: row[n] for n in NAMES}
        self.totals.add(record)
        self._csv.write(_csv_line(["D", *("" if record[n] is None else record[n] for n in NAMES)]))
        line = canonical(record)
        self._records.update(line + b"\n")
        self._json.write((b"\n" if self.totals.row_count == 1 else b",\n") + line)

    def close(self) -> dict:
        """Writes the CSV trailer and the JSON manifest; returns the manifest."""
        self._csv.write(_csv_line(["T", *self.totals.as_list(), self._csv.sha.hexdigest()]))
        manifest = {**dict(zip(TOTAL_NAMES, self.totals.as_list())), "records_sha256": self._records.hexdigest(),
                    "csv_sha256": self._csv.sha.hexdigest()}
        self._json.write(b'\n],\n"manifest":' + canonical(manifest) + b"}\n")
        return manifest


# --- readers (the format read back, as a receiving platform would) --------------------------------

class UpwardFileError(ValueError):
    pass


def _typed(values: list[str]) -> dict:
    return {n: (int(v) if n in INT_FIELDS else v) for n, v in zip(NAMES, values)}


def read_csv(data: bytes) -> tuple[dict, list[dict], dict]:
    """(header, records, trailer totals) of a CSV file; refuses a file whose trailer does not hold."""
    text = data.decode("utf-8")
    body, _, last = text.rstrip("\r\n").rpartition("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or rows[0][0] != "H" or rows[0][1] != FORMAT or rows[1] != ["F", *NAMES] or rows[-1][0] != "T":
        raise UpwardFileError("not a YKT-UP1 CSV file")
    h = rows[0]
    header = {"format": h[1], "county_code": h[2], "period": h[3], "version": int(h[4]), "generated_at": h[5]}
    records = [_typed(r[1:]) for r in rows[2:-1] if r[0] == "D"]
    trailer = rows[-1]
    totals = dict(zip(TOTAL_NAMES, (int(v) for v in trailer[1:9])))
    if hashlib.sha256((body + "\r\n").encode("utf-8")).hexdigest() != trailer[9]:
        raise UpwardFileError("trailer digest does not match")
    recount = Totals()
    for r in records:
        recount.add(r)
    if recount.as_list() != list(totals.values()):
        raise UpwardFileError("trailer totals do not match the records")
    return header, records, totals


def read_json(data: bytes) -> tuple[dict, list[dict], dict]:
    """(header, records, manifest) of a JSON file; refuses one whose manifest does not hold."""
    doc = json.loads(data.decode("utf-8"))
    header, records, manifest = doc["header"], doc["records"], doc["manifest"]
    if header.get("format") != FORMAT:
        raise UpwardFileError("not a YKT-UP1 JSON file")
    digest = hashlib.sha256(b"".join(canonical(r) + b"\n" for r in records)).hexdigest()
    recount = Totals()
    for r in records:
        recount.add(r)
    if digest != manifest["records_sha256"] or recount.as_list() != [manifest[n] for n in TOTAL_NAMES]:
        raise UpwardFileError("manifest does not match the records")
    return header, records, manifest
