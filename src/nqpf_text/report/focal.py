"""The focal region of a document: the place it is about.

A metadata value (manifest, file name) wins. Otherwise the text decides, from region mentions
with role ``place`` outside boilerplate sentences:

1. every province scores its own mentions plus those of its cities (a city counts toward its
   province too); the best province must have at least ``min_count`` mentions and ``min_share`` of
   all province-level attention, else the document has no focal province;
2. inside that province, a city becomes the focal region when it alone carries at least
   ``city_share`` of the province's score and is named at least as often as the province itself
   (the 庆阳 bureau chiefs write 庆阳 more often than 甘肃; a provincial report names itself most);
3. macro regions and zones count only when no province qualifies (东北振兴 pieces).

Ties go to the region mentioned first, then to the smaller id, so the result is deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from ._common import is_blank
from .regions import RegionCatalog

__all__ = ["FOCAL_COLUMNS", "FocalRule", "focal_regions"]

FOCAL_COLUMNS = [
    "doc",
    "focal_region",
    "focal_region_name",
    "focal_level",
    "focal_province",
    "focal_macro",
    "focal_source",
    "focal_region_text",
    "focal_count",
    "focal_share",
]


@dataclass(frozen=True)
class FocalRule:
    """Thresholds of the focal-region rule (see the module docstring)."""

    min_count: int = 2
    min_share: float = 0.3
    city_share: float = 0.5


@dataclass(frozen=True)
class _Pick:
    region: str
    count: int
    share: float


def _best(scores: dict[str, int], first: dict[str, int]) -> str:
    return min(scores, key=lambda r: (-scores[r], first.get(r, 1 << 60), r))


def _pick(
    own: dict[str, int], first: dict[str, int], catalog: RegionCatalog, rule: FocalRule
) -> _Pick | None:
    """The focal region of one document from its direct place counts."""
    prov: dict[str, int] = defaultdict(int)
    prov_first: dict[str, int] = {}
    for rid, count in own.items():
        region = catalog.get(rid)
        target = rid if region.level == "province" else region.province if region.level == "city" else None
        if target is None:
            continue
        prov[target] += count
        prov_first[target] = min(prov_first.get(target, 1 << 60), first.get(rid, 1 << 60))
    total = sum(prov.values())
    if total:
        best = _best(prov, prov_first)
        share = prov[best] / total
        if prov[best] >= rule.min_count and share >= rule.min_share:
            cities = {
                r: c
                for r, c in own.items()
                if catalog.get(r).level == "city" and catalog.get(r).province == best
            }
            if cities:
                city = _best(cities, first)
                if cities[city] >= rule.city_share * prov[best] and cities[city] >= own.get(best, 0):
                    return _Pick(city, cities[city], round(cities[city] / total, 4))
            return _Pick(best, prov[best], round(share, 4))
    broad = {r: c for r, c in own.items() if catalog.get(r).level in ("macro", "zone")}
    if broad:
        best = _best(broad, first)
        share = broad[best] / sum(broad.values())
        if broad[best] >= rule.min_count and share >= rule.min_share:
            return _Pick(best, broad[best], round(share, 4))
    return None


def _text_picks(counts: pd.DataFrame, catalog: RegionCatalog, rule: FocalRule) -> dict[str, _Pick]:
    """Focal region from the text for every document with region mentions."""
    picks: dict[str, _Pick] = {}
    if counts.empty:
        return picks
    use = counts[counts["count_focal"] > 0]
    regions = use["region"].tolist()
    focal = use["count_focal"].astype(int).tolist()
    starts = use["first_start"].astype(int).tolist()
    for doc, rows in use.groupby("doc", sort=True).indices.items():
        own = {regions[i]: focal[i] for i in rows}
        first = {regions[i]: starts[i] for i in rows}
        pick = _pick(own, first, catalog, rule)
        if pick is not None:
            picks[str(doc)] = pick
    return picks


def focal_regions(
    documents: pd.DataFrame, counts: pd.DataFrame, catalog: RegionCatalog, rule: FocalRule | None = None
) -> pd.DataFrame:
    """One row per document: its focal region, where that came from, and the text's own answer.

    ``counts`` is :func:`nqpf_text.report.regional.region_counts` output.
    """
    rule = rule or FocalRule()
    picks = _text_picks(counts, catalog, rule)
    given = documents["focal_region"] if "focal_region" in documents else pd.Series([None] * len(documents))
    rows = []
    for doc, meta_value in zip(documents["doc"].astype(str), given, strict=True):
        pick = picks.get(doc)
        text_id = pick.region if pick else None
        if not is_blank(meta_value):
            chosen, source = str(meta_value).strip(), "metadata"
            if chosen not in catalog:
                chosen = catalog.lookup(chosen) or chosen
        elif pick is not None:
            chosen, source = pick.region, "text"
        else:
            chosen, source = None, ""
        region = catalog.get(chosen) if chosen else None
        rows.append(
            {
                "doc": doc,
                "focal_region": chosen,
                "focal_region_name": region.name if region else None,
                "focal_level": region.level if region else None,
                "focal_province": region.province if region else None,
                "focal_macro": (region.id if region.level == "macro" else region.macro) if region else None,
                "focal_source": source,
                "focal_region_text": text_id,
                "focal_count": pick.count if pick else 0,
                "focal_share": pick.share if pick else 0.0,
            }
        )
    return pd.DataFrame(rows, columns=FOCAL_COLUMNS)
