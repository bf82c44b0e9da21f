"""The region hierarchy the reports roll up along: city → province → macro region.

It comes from the region lexicons in use; a built-in table of the provincial-level units and the
NBS macro regions fills any gap (a user lexicon without parents, mentions of unknown ids), so that
roll-ups and the balanced province panel never depend on a lexicon being complete.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ._common import attr, is_blank

__all__ = ["LEVELS", "MACROS", "Region", "RegionCatalog"]

LEVELS = ("province", "city", "macro", "zone")
MACROS = ("macro.east", "macro.central", "macro.west", "macro.northeast")

_MACRO_NAMES = {
    "macro.east": "东部",
    "macro.central": "中部",
    "macro.west": "西部",
    "macro.northeast": "东北",
}
# National Bureau of Statistics grouping of the 31 mainland provincial-level units (facts, not text).
_PROVINCES = {
    "110000": ("北京", "macro.east"), "120000": ("天津", "macro.east"), "130000": ("河北", "macro.east"),
    "140000": ("山西", "macro.central"), "150000": ("内蒙古", "macro.west"),
    "210000": ("辽宁", "macro.northeast"), "220000": ("吉林", "macro.northeast"),
    "230000": ("黑龙江", "macro.northeast"), "310000": ("上海", "macro.east"),
    "320000": ("江苏", "macro.east"), "330000": ("浙江", "macro.east"), "340000": ("安徽", "macro.central"),
    "350000": ("福建", "macro.east"), "360000": ("江西", "macro.central"), "370000": ("山东", "macro.east"),
    "410000": ("河南", "macro.central"), "420000": ("湖北", "macro.central"),
    "430000": ("湖南", "macro.central"), "440000": ("广东", "macro.east"), "450000": ("广西", "macro.west"),
    "460000": ("海南", "macro.east"), "500000": ("重庆", "macro.west"), "510000": ("四川", "macro.west"),
    "520000": ("贵州", "macro.west"), "530000": ("云南", "macro.west"), "540000": ("西藏", "macro.west"),
    "610000": ("陕西", "macro.west"), "620000": ("甘肃", "macro.west"), "630000": ("青海", "macro.west"),
    "640000": ("宁夏", "macro.west"), "650000": ("新疆", "macro.west"),
    "710000": ("台湾", None), "810000": ("香港", None), "820000": ("澳门", None),
}  # fmt: skip
_SUFFIX = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|省|市)$")


@dataclass(frozen=True)
class Region:
    """One region id with its level and the ids it rolls up into."""

    id: str
    name: str
    level: str
    province: str | None = None  # a city's province; a province's own id
    macro: str | None = None

    def ancestors(self) -> tuple[str, ...]:
        """Ids a mention of this region also counts toward in roll-ups (never itself)."""
        out = []
        if self.level == "city" and self.province:
            out.append(self.province)
        if self.level in ("city", "province") and self.macro:
            out.append(self.macro)
        return tuple(out)


def _guess_level(region_id: str) -> str:
    if region_id.startswith("macro."):
        return "macro"
    if region_id.startswith("zone."):
        return "zone"
    if re.fullmatch(r"\d{2}0000", region_id):
        return "province"
    return "city" if re.fullmatch(r"\d{6}", region_id) else "zone"


class RegionCatalog:
    """Region ids → :class:`Region`, plus a lookup from panel labels (北京, 北京市, 110000) to ids."""

    def __init__(self, regions: Iterable[Region], aliases: dict[str, str] | None = None) -> None:
        self._regions = {r.id: r for r in regions}
        self._aliases = dict(aliases or {})

    # -- building ----------------------------------------------------------------------------
    @classmethod
    def build(cls, lexicons: Sequence[Any] = (), mentions: pd.DataFrame | None = None) -> RegionCatalog:
        """From region lexicons, then mentions (for ids no lexicon knows), then the built-in table."""
        raw: dict[str, dict[str, Any]] = {}
        alias_claims: dict[str, set[str]] = {}
        for pid, (name, macro) in _PROVINCES.items():
            raw[pid] = {"name": name, "level": "province", "parent": macro}
        for mid, name in _MACRO_NAMES.items():
            raw[mid] = {"name": name, "level": "macro", "parent": None}
        for lex in lexicons:
            for entry in lex:
                if attr(entry, "category") != "region":
                    continue
                rid = str(attr(entry, "id"))
                level = attr(entry, "level") or _guess_level(rid)
                old = raw.get(rid, {})
                raw[rid] = {
                    "name": attr(entry, "name") or old.get("name") or rid,
                    "level": level,
                    "parent": attr(entry, "parent") or old.get("parent"),
                }
                if level in ("province", "city"):
                    for rule in attr(entry, "terms", ()) or ():
                        term = attr(rule, "term")
                        if term:
                            alias_claims.setdefault(term, set()).add(rid)
                    alias_claims.setdefault(str(raw[rid]["name"]), set()).add(rid)
        if mentions is not None and not mentions.empty and "category" in mentions:
            regional = mentions[mentions["category"] == "region"]
            for row in regional.drop_duplicates("id").itertuples(index=False):
                rid = str(row.id)
                if rid in raw:
                    continue
                level = _guess_level(rid)
                parent = getattr(row, "province", None) if level == "city" else getattr(row, "macro", None)
                raw[rid] = {
                    "name": getattr(row, "name", None) or rid,
                    "level": level,
                    "parent": None if is_blank(parent) else str(parent),
                }
        regions = [cls._resolve(rid, raw) for rid in sorted(raw)]
        aliases = {}
        for rid, (name, _) in _PROVINCES.items():
            aliases[name] = rid
        for term, ids in alias_claims.items():
            if len(ids) == 1:
                aliases[term] = next(iter(ids))
        return cls(regions, aliases)

    @staticmethod
    def _resolve(rid: str, raw: dict[str, dict[str, Any]]) -> Region:
        info = raw[rid]
        level = info["level"]
        province = macro = None
        if level == "province":
            province = rid
            macro = info["parent"] if str(info["parent"] or "").startswith("macro.") else None
            if macro is None and rid in _PROVINCES:
                macro = _PROVINCES[rid][1]
        elif level == "city":
            province = info["parent"] or (rid[:2] + "0000" if re.fullmatch(r"\d{6}", rid) else None)
            parent = raw.get(province or "", {})
            macro = parent.get("parent") if str(parent.get("parent") or "").startswith("macro.") else None
            if macro is None and province in _PROVINCES:
                macro = _PROVINCES[province][1]
        return Region(rid, str(info["name"]), level, province, macro)

    # -- queries -----------------------------------------------------------------------------
    def __contains__(self, region_id: object) -> bool:
        return region_id in self._regions

    def get(self, region_id: str) -> Region:
        """The region (an unknown id becomes a zone-like leaf of its own, so nothing is lost)."""
        found = self._regions.get(region_id)
        if found is None:
            found = Region(region_id, region_id, _guess_level(region_id))
            self._regions[region_id] = found
        return found

    def name(self, region_id: Any) -> str:
        return "" if is_blank(region_id) else self.get(str(region_id)).name

    def ids(self, level: str) -> list[str]:
        """All ids of a level, sorted (macros in their conventional order)."""
        if level == "macro":
            return [m for m in MACROS if m in self._regions]
        return sorted(r.id for r in self._regions.values() if r.level == level)

    def lookup(self, label: Any) -> str | None:
        """A province or city id for a panel label such as 北京, 北京市, 广西壮族自治区 or 110000."""
        if is_blank(label):
            return None
        text = str(label).strip()
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        if text in self._regions and self._regions[text].level in ("province", "city"):
            return text
        for candidate in (text, _SUFFIX.sub("", text)):
            if candidate in self._aliases:
                return self._aliases[candidate]
        return None
