"""Regional emphasis: region × document, × time, × author/outlet/kind, macro shares, region-year panel.

Counting conventions, the same in every table:
- ``count`` is the number of ``place`` mentions of the region id itself (the tagger's own id, so a
  province is never inflated by its cities); ``count_org`` counts names inside organisations
  (南京日报, 北京大学) and is reported apart.
- ``count_rollup`` adds the mentions of every region below: a city counts toward its province and
  macro region, a province toward its macro region. Zones never roll up.
- ``per_10k`` is per 10,000 normalized characters of the documents in the row's scope (all of them,
  whether or not they mention the region).
"""

from __future__ import annotations

import pandas as pd

from ._common import label, per_10k, period_of, sort_docs, year_of
from .regions import LEVELS, MACROS, RegionCatalog

__all__ = [
    "COUNT_COLUMNS",
    "aggregate_regions",
    "macro_shares",
    "region_counts",
    "region_mentions",
    "region_time",
    "region_year_panel",
]

COUNT_COLUMNS = [
    "doc",
    "region",
    "count",
    "count_org",
    "count_no_boilerplate",
    "count_rollup",
    "count_focal",
    "first_start",
]
_LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}


def _region_rows(mentions: pd.DataFrame) -> pd.DataFrame:
    if mentions.empty or "category" not in mentions:
        return pd.DataFrame(columns=["doc", "id", "start", "place", "boilerplate"])
    m = mentions[mentions["category"] == "region"]
    role = m["role"] if "role" in m else pd.Series("place", index=m.index)
    boiler = m["boilerplate"] if "boilerplate" in m else pd.Series(False, index=m.index)
    return pd.DataFrame(
        {
            "doc": m["doc"].astype(str),
            "id": m["id"].astype(str),
            "start": m["start"].astype(int),
            "place": role.fillna("place").astype(str) != "org",
            "boilerplate": boiler.fillna(False).astype(bool),
        }
    )


def region_counts(mentions: pd.DataFrame, catalog: RegionCatalog) -> pd.DataFrame:
    """Per document and region id: direct, org, non-boilerplate and rolled-up counts (see module doc)."""
    rows = _region_rows(mentions)
    if rows.empty:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    rows = rows.assign(
        nb=rows["place"] & ~rows["boilerplate"],
        org=~rows["place"],
        place_start=rows["start"].where(rows["place"]),
    )
    direct = (
        rows.groupby(["doc", "id"], sort=True)
        .agg(
            count=("place", "sum"),
            count_org=("org", "sum"),
            count_no_boilerplate=("nb", "sum"),
            first_start=("place_start", "min"),
        )
        .reset_index()
        .rename(columns={"id": "region"})
    )
    places = rows[rows["place"]]
    ancestors = {rid: (rid, *catalog.get(rid).ancestors()) for rid in places["id"].unique()}
    rolled = places.assign(region=places["id"].map(ancestors)).explode("region")
    rollup = rolled.groupby(["doc", "region"], sort=True).size().rename("count_rollup").reset_index()
    out = direct.merge(rollup, on=["doc", "region"], how="outer")
    for col in ("count", "count_org", "count_no_boilerplate", "count_rollup"):
        out[col] = out[col].fillna(0).astype(int)
    out["first_start"] = out["first_start"].fillna(-1).astype(int)
    # Boilerplate sentences (quotes repeated across pieces) do not decide what a document is about,
    # unless they are all the document has.
    has_nb = out.groupby("doc")["count_no_boilerplate"].transform("sum") > 0
    out["count_focal"] = out["count_no_boilerplate"].where(has_nb, out["count"]).astype(int)
    return out[COUNT_COLUMNS].sort_values(["doc", "region"], kind="mergesort").reset_index(drop=True)


def _describe(frame: pd.DataFrame, catalog: RegionCatalog) -> pd.DataFrame:
    regions = [catalog.get(str(r)) for r in frame["region"]]
    return frame.assign(
        name=[r.name for r in regions],
        level=[r.level for r in regions],
        province=[r.province for r in regions],
        macro=[r.macro for r in regions],
    )


def region_mentions(
    documents: pd.DataFrame, counts: pd.DataFrame, catalog: RegionCatalog, order: dict[str, int]
) -> pd.DataFrame:
    """``region_mentions.csv``: one row per document and region id (direct, org or rolled up)."""
    columns = [
        "doc", "region", "id", "name", "level", "province", "macro", "count", "per_10k", "count_org",
        "count_all", "count_no_boilerplate", "count_rollup", "per_10k_rollup",
    ]  # fmt: skip
    if counts.empty:
        return pd.DataFrame(columns=columns)
    chars = documents.set_index(documents["doc"].astype(str))["chars"].astype(int)
    frame = _describe(counts.copy(), catalog)
    doc_chars = frame["doc"].map(chars).fillna(0).to_numpy()
    frame["id"] = frame["region"]
    frame["count_all"] = frame["count"] + frame["count_org"]
    frame["per_10k"] = per_10k(frame["count"], doc_chars)
    frame["per_10k_rollup"] = per_10k(frame["count_rollup"], doc_chars)
    frame = sort_docs(frame, order, by=["count", "count_rollup", "region"], ascending=[False, False, True])
    return frame[columns]


def aggregate_regions(
    documents: pd.DataFrame, counts: pd.DataFrame, catalog: RegionCatalog, groups: pd.Series, key: str
) -> pd.DataFrame:
    """Sum counts over the documents of each group (``groups``: doc → label; None drops the doc)."""
    docs = pd.DataFrame(
        {"doc": documents["doc"].astype(str), "chars": documents["chars"].astype(int), key: groups.to_numpy()}
    ).dropna(subset=[key])
    totals = docs.groupby(key, sort=True).agg(group_chars=("chars", "sum"), group_documents=("doc", "size"))
    merged = counts.merge(docs[["doc", key]], on="doc", how="inner")
    if merged.empty:
        merged = pd.DataFrame(columns=[key, "region", "count", "count_rollup"])
    agg = (
        merged.assign(has=merged["count"] > 0, has_rollup=merged["count_rollup"] > 0)
        .groupby([key, "region"], sort=True)
        .agg(
            count=("count", "sum"),
            documents=("has", "sum"),
            count_rollup=("count_rollup", "sum"),
            documents_rollup=("has_rollup", "sum"),
        )
        .reset_index()
    )
    agg = agg.merge(totals.reset_index(), on=key, how="left")
    agg = _describe(agg, catalog)
    for col in ("count", "documents", "count_rollup", "documents_rollup", "group_chars", "group_documents"):
        agg[col] = agg[col].fillna(0).astype(int)
    agg["per_10k"] = per_10k(agg["count"], agg["group_chars"])
    agg["per_10k_rollup"] = per_10k(agg["count_rollup"], agg["group_chars"])
    agg = agg[(agg["count"] > 0) | (agg["count_rollup"] > 0)]
    columns = [
        key, "region", "name", "level", "count", "per_10k", "documents", "count_rollup", "per_10k_rollup",
        "documents_rollup", "group_chars", "group_documents",
    ]  # fmt: skip
    return _order(agg[columns], [key])


def _order(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    ranked = frame.assign(_lv=frame["level"].map(_LEVEL_RANK).fillna(len(LEVELS)))
    ranked = ranked.sort_values(
        [*keys, "_lv", "count_rollup", "count", "region"],
        ascending=[*([True] * len(keys)), True, False, False, True],
        kind="mergesort",
    )
    return ranked.drop(columns="_lv").reset_index(drop=True)


def region_time(documents: pd.DataFrame, counts: pd.DataFrame, catalog: RegionCatalog) -> pd.DataFrame:
    """Region × month, quarter and year (documents without a precise enough date drop out)."""
    parts = []
    for kind in ("year", "quarter", "month"):
        periods = documents["date"].map(lambda d, k=kind: period_of(d, k)) if "date" in documents else None
        if periods is None:
            continue
        part = aggregate_regions(documents, counts, catalog, periods, "period")
        part.insert(0, "period_type", kind)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["period_type", "period", "region"])
    return pd.concat(parts, ignore_index=True)


def region_by(
    documents: pd.DataFrame, counts: pd.DataFrame, catalog: RegionCatalog, field: str
) -> pd.DataFrame:
    """Region × a metadata field (author, outlet, kind); blanks are grouped as ``(none)``."""
    values = documents[field] if field in documents else pd.Series([None] * len(documents))
    return aggregate_regions(documents, counts, catalog, values.map(label), field)


def region_year_panel(documents: pd.DataFrame, counts: pd.DataFrame, catalog: RegionCatalog) -> pd.DataFrame:
    """Long region-year panel: balanced for provinces and macro regions, cities/zones where mentioned."""
    dates = documents["date"].tolist() if "date" in documents else [None] * len(documents)
    years = pd.Series([year_of(d) for d in dates], dtype=object)
    agg = aggregate_regions(documents, counts, catalog, years, "year")
    dated = pd.DataFrame({"year": years.to_numpy(), "chars": documents["chars"].astype(int).to_numpy()})
    dated = dated.dropna(subset=["year"])
    totals = dated.groupby("year").agg(group_chars=("chars", "sum"), group_documents=("chars", "size"))
    grid_ids = catalog.ids("province") + catalog.ids("macro")
    grid = pd.DataFrame(
        [(y, r) for y in sorted(totals.index) for r in grid_ids], columns=["year", "region"]
    ).astype({"year": object})
    keep = agg[~agg["region"].isin(grid_ids)]
    full = grid.merge(agg, on=["year", "region"], how="left")
    full = pd.concat([full, keep], ignore_index=True)
    full = full.drop(columns=["group_chars", "group_documents", "name", "level"])
    full = full.merge(totals.reset_index(), on="year", how="left")
    full = _describe(full, catalog)
    for col in ("count", "documents", "count_rollup", "documents_rollup", "group_chars", "group_documents"):
        full[col] = full[col].fillna(0).astype(int)
    full["per_10k"] = per_10k(full["count"], full["group_chars"])
    full["per_10k_rollup"] = per_10k(full["count_rollup"], full["group_chars"])
    full["year"] = full["year"].astype(int)
    full = full.rename(columns={"group_chars": "year_chars", "group_documents": "year_documents"})
    columns = [
        "region", "year", "count", "per_10k", "documents", "name", "level", "province", "macro",
        "count_rollup", "per_10k_rollup", "documents_rollup", "year_chars", "year_documents",
    ]  # fmt: skip
    full = full.assign(_lv=full["level"].map(_LEVEL_RANK).fillna(len(LEVELS)))
    full = full.sort_values(["year", "_lv", "region"], kind="mergesort").drop(columns="_lv")
    return full[columns].reset_index(drop=True)


def macro_shares(documents: pd.DataFrame, counts: pd.DataFrame, catalog: RegionCatalog) -> pd.DataFrame:
    """Share of attention to east/central/west/northeast, overall and by year, kind and outlet.

    Shares use roll-up counts (a city speaks for its macro region) and sum to 1 over the four.
    """
    scopes: list[tuple[str, pd.Series]] = [("all", pd.Series(["all"] * len(documents)))]
    if "date" in documents:
        years = [year_of(d) for d in documents["date"].tolist()]
        scopes.append(("year", pd.Series([None if y is None else str(y) for y in years], dtype=object)))
    for field in ("kind", "outlet"):
        if field in documents:
            scopes.append((field, documents[field].map(label)))
    parts = []
    for scope, groups in scopes:
        agg = aggregate_regions(documents, counts, catalog, groups.reset_index(drop=True), "group")
        agg = agg[agg["region"].isin(MACROS)]
        grid = pd.DataFrame(
            [(g, m) for g in sorted(groups.dropna().unique()) for m in MACROS], columns=["group", "region"]
        )
        full = grid.merge(agg[["group", "region", "count_rollup"]], on=["group", "region"], how="left")
        full["count_rollup"] = full["count_rollup"].fillna(0).astype(int)
        total = full.groupby("group")["count_rollup"].transform("sum")
        full["share"] = (full["count_rollup"] / total.where(total > 0, 1)).round(4)
        full.insert(0, "scope", scope)
        parts.append(full)
    out = pd.concat(parts, ignore_index=True).rename(columns={"region": "macro"})
    out["name"] = out["macro"].map(catalog.name)
    out["_m"] = out["macro"].map({m: i for i, m in enumerate(MACROS)})
    scope_rank = {s: i for i, (s, _) in enumerate(scopes)}
    out = out.assign(_s=out["scope"].map(scope_rank)).sort_values(["_s", "group", "_m"], kind="mergesort")
    return out[["scope", "group", "macro", "name", "count_rollup", "share"]].reset_index(drop=True)


def document_macro_shares(documents: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """Per document: roll-up counts of the four macro regions as shares (0 when none is mentioned)."""
    docs = documents["doc"].astype(str)
    sub = counts[counts["region"].isin(MACROS)]
    wide = sub.pivot_table(index="doc", columns="region", values="count_rollup", aggfunc="sum", fill_value=0)
    wide = wide.reindex(index=docs, columns=list(MACROS), fill_value=0).fillna(0)
    total = wide.sum(axis=1)
    shares = wide.div(total.where(total > 0, 1), axis=0).round(4)
    shares.columns = [f"attention_{m.split('.', 1)[1]}" for m in MACROS]
    return shares.reset_index(drop=True)
