"""County-wide rosters (全县清册): one file with a 乡镇 column becomes one batch per township, all or nothing.

    result = county_roster_split(actor=…, policy=…, period="2026-11", county_region=county, data=…, filename=…)
    result.townships   [TownshipPart(region, name, batch_id, batch_code, rows, persons, amount_fen), …]

Design (the simplest one that is all or nothing and reuses the importer unchanged):

1. Check first, write nothing. The file is read once with the roster columns plus the township column
   (乡镇 / 乡镇(街道) / 乡镇名称 / 所属乡镇 / 街道: a name with or without 镇/乡/街道, or a 9- or 12-digit
   code, resolved within the county; blank is allowed when the village is a 12-digit code). The rows of
   each township are written into a township file in which every row keeps its line number of the county
   file (the other townships' rows are left as empty lines, which the reader skips), and that file is
   checked by the importer's own `parse_and_validate`, the very check the per-township import makes:
   so every problem names the row of the county file, and a row is refused exactly when the import would
   refuse it. Unknown townships, cell errors, an ID number twice in the county file and the totals row
   (合计, against the whole file) are checked here too. Any error: CountyRosterRefused (code
   COUNTY_ROSTER_INVALID) with every problem; nothing was created.
2. Then write, in ONE transaction: per township `services.batch_create` and the import of its township
   file (`importer.run.roster_import`: stage, then process in this process rather than as a background
   job — one job per township could leave some batches imported and others not, which is the very thing
   a county file must not do). Role and scope are those services' checks (who may create the batch and
   import into it); a refusal of any township rolls back every batch. Each batch's import run keeps its
   township file, whose line numbers are the county file's (items' `source_row` name county rows).

A township user is refused before anything is read (COUNTY_ROSTER_NOT_IN_SCOPE): the county must be
within the actor's region scope."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath
from types import SimpleNamespace

from django.db import transaction

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope, scope_prefix
from yikatong.core.refusals import Forbidden, Refusal
from yikatong.core.sheets import Column, SheetError, open_sheet
from yikatong.registry.villages import VillageResolver

from . import errors  # noqa: F401  (the catalogue: registers the COUNTY_ROSTER_* codes)
from .importer import spec as S
from .importer.rows import Problem
from .importer.run import _totals_problems, parse_and_validate

TOWNSHIP = "乡镇(街道)"
TOWNSHIP_COLUMN = Column(TOWNSHIP, ("乡镇", "乡镇名称", "所属乡镇", "乡镇街道", "街道"),
                         required=True, kind="compact")
COLUMNS = [*S.COLUMNS, TOWNSHIP_COLUMN]
# who may split a county file on the batch list (the services decide; this only shows the form)
SPLIT_ROLES = frozenset({Role.TOWNSHIP_OPERATOR})


class CountyRosterRefused(Refusal):
    """The county file was refused as a whole; `problems` (dicts as the import's, `line` = row of the
    county file) say why. Nothing was created."""

    default_code = "COUNTY_ROSTER_INVALID"

    def __init__(self, problems: list[dict]):
        from .selectors import masked_problems

        self.problems = problems
        # the message names the first error with numbers masked: it is shown and logged far and wide
        errors_ = [p for p in masked_problems(problems) if p.get("level", "error") == "error"]
        super().__init__("COUNTY_ROSTER_INVALID", count=len(errors_),
                         first=errors_[0]["message"] if errors_ else "")


@dataclass
class TownshipPart:
    region: object
    name: str
    rows: int = 0
    persons: int = 0
    amount_fen: int = 0
    batch_id: int | None = None
    batch_code: str = ""
    header_names: list[str] = field(default_factory=list)  # the roster columns the county file has
    lines: dict[int, list[str]] = field(default_factory=dict)  # county row -> the roster values of that row


@dataclass
class CountyRosterResult:
    townships: list[TownshipPart]
    warnings: list[dict]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.townships)

    @property
    def amount_fen(self) -> int:
        return sum(t.amount_fen for t in self.townships)


def may_split(actor) -> bool:
    """Offers the county upload (batch list, county page): a batch-making role in a county organization.
    Only an offer: the services decide."""
    if not getattr(actor, "is_authenticated", False) or not actor.role_set & SPLIT_ROLES:
        return False
    region = actor.region
    return region is not None and region.level == 3 and scope_prefix(actor) == region.code[:6]


def county_roster_split(*, actor, policy, period: str, county_region, data: bytes, filename: str) -> CountyRosterResult:
    """Split the county file into one batch per township and import each, all or nothing (module docstring)."""
    if county_region.level != 3:
        raise Refusal("COUNTY_ROSTER_REGION_LEVEL", region=county_region.name)
    if not region_in_scope(actor, county_region.code):
        raise Forbidden("COUNTY_ROSTER_NOT_IN_SCOPE", region=county_region.name)
    parts, header, problems, warnings = _split(policy, county_region, data, filename)
    if any(p["level"] == "error" for p in problems):
        raise CountyRosterRefused(sorted(problems, key=lambda p: p["line"]))
    return _write(actor=actor, policy=policy, period=period, parts=parts, header=header, filename=filename,
                  warnings=warnings)


def _problem(line: int, column: str, value: str, message: str) -> dict:
    return Problem(line, column, value, message).as_dict()


def _split(policy, county, data: bytes, filename: str):
    """(parts by township code, header line, problems, warnings) — nothing written."""
    resolver = VillageResolver(county)
    parts: dict[str, TownshipPart] = {}
    problems: list[dict] = []
    seen_ids: dict[str, int] = {}
    amounts: list[int] = []
    rows = 0
    try:
        with open_sheet(data, COLUMNS, filename=filename) as sheet:
            header_line, names = sheet.header_line, [c.name for c in S.COLUMNS if c.name in sheet.headers]
            for row in sheet:
                rows += 1
                amounts.append(_fen(row.get(S.AMOUNT)))  # every row, as the importer sums them against 合计
                problems.extend(_problem(e.line, e.column, e.value, e.message) for e in row.errors)
                town_text, village = row.get(TOWNSHIP), row.get(S.VILLAGE)
                if not town_text and len(village) == 12 and village.isdigit():
                    town_text = village[:9]  # the village's code names its township
                town, message = resolver.township(town_text)
                if town is None:
                    problems.append(_problem(row.line, TOWNSHIP, town_text,
                                             message or f"请填写“{TOWNSHIP}”"))
                    continue
                ident = row.get(S.ID).upper()
                if ident and ident in seen_ids:
                    problems.append(_problem(row.line, S.ID, row.get(S.ID),
                                             f"身份证号码“{row.get(S.ID)}”与第{seen_ids[ident]}行重复，"
                                             "同一对象在全县清册中只能出现一次"))
                    continue
                if ident:
                    seen_ids[ident] = row.line
                if row.errors:
                    continue
                part = parts.setdefault(town.code, TownshipPart(region=town, name=town.name, header_names=names))
                part.lines[row.line] = [row.values.get(n, "") for n in names]
            totals, sheet_errors = sheet.totals, sheet.errors
    except SheetError as exc:
        return {}, 0, [Problem(0, "", "", exc.message, code=exc.code).as_dict()], []
    problems.extend(_problem(e.line, e.column, e.value, e.message) for e in sheet_errors)
    warnings: list[dict] = []
    for part in parts.values():
        sub = _township_file(header_line, names, part.lines)
        batch_like = SimpleNamespace(region=part.region, policy=policy)
        drafts, found, _ = parse_and_validate(batch_like, sub, "乡镇清册.csv")
        for p in found:
            d = p.as_dict()
            if p.line == 0:  # the township's file as a whole (e.g. its 标准): say which township
                d["message"] = f"{part.name}：{d['message']}"
            (problems if p.level == "error" else warnings).append(d)
        part.rows, part.persons = len(part.lines), len({d.id_number for d in drafts})
        part.amount_fen = sum(d.amount_fen for d in drafts)
    if totals is not None:
        problems.extend(p.as_dict() for p in _totals_problems(totals, amounts, rows))
    if rows == 0:
        problems.append(_problem(0, "", "", "文件中没有数据行"))
    return parts, header_line, problems, warnings


def _fen(text: str) -> int:
    from yikatong.core.money import Money, MoneyError

    try:
        return Money.parse(text).fen if text else 0
    except MoneyError:
        return 0


def _township_file(header_line: int, names: list[str], lines: dict[int, list[str]]) -> bytes:
    """A CSV of the township's rows, each on its line of the county file (empty lines between)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for _ in range(header_line - 1):
        w.writerow([])
    w.writerow(names)
    last = header_line
    for line in sorted(lines):
        for _ in range(line - last - 1):
            w.writerow([])
        w.writerow(lines[line])
        last = line
    return buf.getvalue().encode("utf-8-sig")


@transaction.atomic
def _write(*, actor, policy, period, parts: dict, header: int, filename: str, warnings) -> CountyRosterResult:
    from . import services
    from .importer.run import roster_import
    from .models import ImportMode

    stem = PurePath(filename).stem or "全县清册"
    done = []
    for code in sorted(parts):
        part = parts[code]
        batch = services.batch_create(actor=actor, policy=policy, period=period, region=part.region)
        run = roster_import(actor=actor, batch_id=batch.pk, data=_township_file(header, part.header_names, part.lines),
                            filename=f"{stem}（{part.name}）.csv", mode=ImportMode.ALL_OR_NOTHING)
        if not run.imported or run.accepted != part.rows:  # checked above; never half a county
            raise Refusal("COUNTY_ROSTER_TOWNSHIP_REFUSED", township=part.name, message=run.message)
        part.batch_id, part.batch_code = batch.pk, batch.code
        done.append(part)
    return CountyRosterResult(townships=done, warnings=warnings)


def summary_rows(result: CountyRosterResult) -> list[dict]:
    """The summary per township (page, API, command)."""
    return [{"township": t.region.code, "township_name": t.name, "batch_id": t.batch_id, "batch_code": t.batch_code,
             "rows": t.rows, "persons": t.persons, "amount_fen": t.amount_fen} for t in result.townships]
