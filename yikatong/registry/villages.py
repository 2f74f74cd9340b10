"""Resolving the village written in a file (name or 12-digit code) within an import's scope.

Each distinct (township, village) text is resolved once with regions.selectors.find_village
and cached, so a million rows cost a few hundred queries at most.
"""
from __future__ import annotations

import re

from yikatong.regions.models import Region
from yikatong.regions.selectors import find_village, subtree

_TOWN_SUFFIXES = ("街道办事处", "办事处", "街道", "镇", "乡")
_SPACES = re.compile(r"\s+")


def _bare_town(name: str) -> str:
    name = _SPACES.sub("", name)
    for suffix in _TOWN_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class VillageResolver:
    """`resolve(township_text, village_text) -> (village code, None) | (None, message)`."""

    def __init__(self, scope: Region):
        self.scope = scope
        self.prefix = scope.prefix
        if scope.level == 4:
            self.townships = {scope.code: scope}
        else:
            self.townships = {r.code: r for r in subtree(scope).filter(level=4)}
        self._by_name: dict[str, list[Region]] = {}
        for town in self.townships.values():
            for key in {_SPACES.sub("", town.name), _bare_town(town.name)}:
                self._by_name.setdefault(key, []).append(town)
        self._cache: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        self._codes = set(subtree(scope).filter(level=5).values_list("code", flat=True))

    def resolve(self, township_text: str, village_text: str) -> tuple[str | None, str | None]:
        key = (township_text, village_text)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._resolve(township_text, village_text)
        return hit

    def _resolve(self, township_text: str, village_text: str) -> tuple[str | None, str | None]:
        if len(village_text) == 12 and village_text.isdigit():
            if village_text not in self._codes:
                return None, f"村(社区)代码“{village_text}”不是{self.scope.name}的村(社区)"
            return village_text, None
        town, problem = self._township(township_text)
        if town is None:
            return None, problem
        village = find_village(town.code, village_text)
        if village is None:
            return None, (
                f"村(社区)“{village_text}”在{town.name}找不到或有重名，请填写村(居)委会的全称或12位区划代码"
            )
        return village.code, None

    def township(self, text: str) -> tuple[Region | None, str | None]:
        """The township of the scope written as `text` (its name, with or without 镇/乡/街道, or its 9- or
        12-digit code): (township, None), or (None, the message naming the text)."""
        text = _SPACES.sub("", text or "")
        if len(text) == 12 and text.isdigit() and text.endswith("000"):
            text = text[:9]
        return self._township(text)

    def _township(self, text: str) -> tuple[Region | None, str | None]:
        if len(self.townships) == 1 and not text:
            return next(iter(self.townships.values())), None
        if not text:
            return None, f"按{self.scope.name}导入时须填写“乡镇(街道)”列，或在村(社区)列填写12位区划代码"
        if len(text) == 9 and text.isdigit():
            town = self.townships.get(Region.full_code(text))
        else:
            matches = self._by_name.get(_SPACES.sub("", text)) or self._by_name.get(_bare_town(text)) or []
            town = matches[0] if len(matches) == 1 else None
        if town is None:
            return None, f"乡镇(街道)“{text}”不在{self.scope.name}的范围内"
        return town, None
