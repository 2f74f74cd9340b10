"""Reads of the region tree. Codes may be given short (2/4/6/9 digits) or as 12 digits.

Regions are public reference data, so these reads take no actor; callers that show
region-scoped business data filter that data by `user.scope_prefix` themselves.
"""
from __future__ import annotations

import re

from django.db.models import QuerySet

from yikatong.core.refusals import invalid

from . import errors  # noqa: F401  (REGION_UNKNOWN)
from .models import Region

# Committee suffixes of village names and what is left of them: "张庄村民委员会" -> "张庄村".
_COMMITTEE_SUFFIXES = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("居民委员会", ""),
    ("居委会", ""),
    ("委员会", ""),
)
_PLACE_SUFFIXES = ("社区", "村")
_SPACES = re.compile(r"[\s\u3000]+")


def by_code(code) -> Region | None:
    """The region of a code given short (2/4/6/9 digits) or as 12 digits; None for no such region."""
    code = str(code or "").strip()
    return Region.objects.filter(code=Region.full_code(code)).first() if code.isdigit() else None


def region_or_refuse(code) -> Region:
    """The region of `code`, else the refusal REGION_UNKNOWN naming the code as given."""
    region = by_code(code)
    if region is None:
        raise invalid("REGION_UNKNOWN", region=str(code or "").strip())
    return region


def code_prefix(code: str) -> str:
    """Subtree prefix of a code: "141024000000" -> "141024"; a short code is returned as it is.

    A 12-digit code loses its trailing all-zero segments (village 3, township 3, county 2,
    city 2 digits), which no real region has.
    """
    code = str(code).strip()
    if len(code) != 12:
        return code
    for zeros_from, prefix_len in ((9, 12), (6, 9), (4, 6), (2, 4)):
        if code[zeros_from:].strip("0"):
            return code[:prefix_len]
    return code[:2]


def _upper_bound(prefix: str) -> str | None:
    """Smallest digit string greater than every string starting with `prefix` ("1419" -> "142")."""
    digits = prefix.rstrip("9")
    if not digits:
        return None
    return digits[:-1] + str(int(digits[-1]) + 1)


def subtree(prefix: str | Region) -> QuerySet[Region]:
    """The region with this prefix (or 12-digit code) and everything below it, ordered by code."""
    prefix = prefix.prefix if isinstance(prefix, Region) else code_prefix(prefix)
    # The range lets SQLite use the primary-key index; startswith keeps the filter exact.
    qs = Region.objects.filter(code__gte=prefix, code__startswith=prefix)
    upper = _upper_bound(prefix)
    return qs.filter(code__lt=upper) if upper else qs


def children(code: str) -> QuerySet[Region]:
    """Direct children of a region, ordered by code."""
    return Region.objects.filter(parent_id=Region.full_code(code))


def villages_of(township_code: str) -> QuerySet[Region]:
    """Villages and communities (村/社区) of a township."""
    return children(township_code).filter(level=5)


def normalize_village_name(name: str) -> str:
    """Village name without spaces and committee suffix: "城关社区居委会" -> "城关社区"."""
    name = _SPACES.sub("", str(name))
    for suffix, rest in _COMMITTEE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)] + rest
    return name


def _bare_place_name(name: str) -> str:
    """Normalized name without a trailing 村/社区: "张庄村民委员会" -> "张庄"."""
    name = normalize_village_name(name)
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def find_village(township_code: str, name_or_code: str) -> Region | None:
    """The village of this township named or coded so, or None when none or several match.

    Tried in order, the first rule giving exactly one village wins: 12-digit code; exact
    name; both names without committee suffix (村民委员会/村委会 -> 村, 社区居(民)委(员)会 ->
    社区, 居(民)委(员)会 -> ""); the village's name also without a trailing 村/社区 (so "李堡",
    "李堡村" and "李堡村民委员会" all find 李堡村委会). Several villages matching a rule is
    ambiguous and gives None rather than a guess.
    """
    value = _SPACES.sub("", str(name_or_code or ""))
    if not value:
        return None
    villages = villages_of(township_code)
    if len(value) == 12 and value.isdigit():
        return villages.filter(code=value).first()
    candidates = list(villages.only("code", "name", "level", "parent_id"))
    rules = (
        (lambda n: _SPACES.sub("", n), {value}),
        (normalize_village_name, {normalize_village_name(value)}),
        (_bare_place_name, {normalize_village_name(value), _bare_place_name(value)}),
    )
    for key, wanted in rules:
        matches = [v for v in candidates if key(v.name) in wanted]
        if len(matches) == 1:
            return matches[0]
        if matches:
            return None
    return None


def ancestors(code: str, *, include_self: bool = False) -> list[Region]:
    """The regions above `code`, from the province down to its parent ([] if unknown)."""
    full = Region.full_code(code)
    candidates = {full[:n].ljust(12, "0") for n in (2, 4, 6, 9)} | {full}
    found = {r.code: r for r in Region.objects.filter(code__in=candidates)}
    region = found.get(full) or Region.objects.filter(code=full).first()
    if region is None:
        return []
    chain = [region] if include_self else []
    parent_id = region.parent_id
    while parent_id:  # normally all in `found`; a parent off the prefix path costs one query
        parent = found.get(parent_id) or Region.objects.get(code=parent_id)
        chain.append(parent)
        parent_id = parent.parent_id
    chain.reverse()
    return chain
