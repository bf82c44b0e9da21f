"""Indicator mapping: links per indicator, documents ranked by attention, roll-ups to second and first
level, unaddressed indicators, and regions beside indicators.

The counting is done once, by the views of :mod:`nqpf_text.link` (which take the links frame as it
is); this module names, rounds and orders their output for the report files.

Attention to an indicator is the sum of link scores of the statements linked to it (a statement
linked to two indicators counts for both, each with its own score). Shares use statements outside
boilerplate when there are any, so a quotation repeated in twenty pieces is not twenty signals.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..link import (
    EVIDENCE_SEP,
    attention_matrix,
    attention_table,
    indicator_table,
    links_frame,
    region_indicator_table,
    rollup,
)
from ._common import DECIMALS, per_10k, sort_docs
from .regions import LEVELS, RegionCatalog

__all__ = [
    "doc_indicator_matrix",
    "framework_indicators",
    "indicator_documents",
    "indicator_links",
    "indicator_rollup",
    "indicator_summary",
    "region_indicator",
]

LINK_COLUMNS = [
    "doc", "statement", "indicator", "score", "evidence", "rank", "indicator_name", "start", "end",
    "boilerplate", "text",
]  # fmt: skip
REGION_INDICATOR_COLUMNS = [
    "region", "name", "level", "indicator", "indicator_name", "statements", "score_sum", "documents",
    "statements_rollup", "score_sum_rollup", "documents_rollup",
]  # fmt: skip


def framework_indicators(framework: Any, links: pd.DataFrame) -> pd.DataFrame:
    """The framework's leaves in order (plus any linked id the framework lacks), with level names."""
    extra = links["indicator"].astype(str) if not links.empty else ()
    return indicator_table(framework, extra).rename(columns={"id": "indicator"})


def indicator_links(links: pd.DataFrame, info: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """``indicator_links.csv``: one row per statement and indicator, in corpus order, best link first."""
    if links.empty:
        return pd.DataFrame(columns=LINK_COLUMNS)
    frame = links_frame(links)
    frame["indicator_name"] = frame["indicator"].map(dict(zip(info["indicator"], info["name"], strict=True)))
    frame = sort_docs(frame, order, by=["statement", "rank", "indicator"])
    return frame[[c for c in LINK_COLUMNS if c in frame]]


def _attention_base(links: pd.DataFrame) -> bool:
    """Whether attention counts boilerplate links: only when every link is in boilerplate."""
    return links.empty or bool(links["boilerplate"].all())


def _per_id(links: pd.DataFrame, ids: list[str], include_boilerplate: bool = True) -> pd.DataFrame:
    """``rollup`` at leaf level, one row per id of ``ids`` (zeros where there are no links)."""
    frame = rollup(links, None, "indicator", include_boilerplate=include_boilerplate).set_index("id")
    return frame.reindex(ids).fillna({c: 0 for c in frame.columns if c != "name"})


def _top_evidence(links: pd.DataFrame, limit: int = 6) -> dict[str, str]:
    """Per indicator: its most frequent evidence terms, ties by term."""
    if links.empty:
        return {}
    split = links["evidence"].fillna("").astype(str).str.split(EVIDENCE_SEP)
    terms = links.assign(term=split).explode("term")
    terms = terms[terms["term"].astype(bool)]
    counts = terms.groupby(["indicator", "term"]).size().rename("n").reset_index()
    counts = counts.sort_values(["indicator", "n", "term"], ascending=[True, False, True], kind="mergesort")
    return {i: EVIDENCE_SEP.join(g["term"].head(limit)) for i, g in counts.groupby("indicator", sort=False)}


def indicator_summary(links: pd.DataFrame, info: pd.DataFrame, n_docs: int) -> pd.DataFrame:
    """Per indicator: statements, documents, attention share, typical evidence, addressed or not."""
    ids = info["indicator"].tolist()
    every = _per_id(links, ids)
    base = _per_id(links, ids, include_boilerplate=_attention_base(links))
    clean = _per_id(links, ids, include_boilerplate=False)
    best = links[links["rank"] == 1].groupby("indicator").size() if not links.empty else pd.Series(dtype=int)
    total = float(base["score_sum"].sum())
    out = pd.DataFrame(
        {
            "indicator": ids,
            "name": info["name"].to_numpy(),
            "parent": info["second"].to_numpy(),
            "parent_name": info["second_name"].to_numpy(),
            "direction": info["direction"].to_numpy(),
            "statements": every["statements"].astype(int).to_numpy(),
            "statements_best": pd.Series(ids).map(best).fillna(0).astype(int).to_numpy(),
            "statements_no_boilerplate": clean["statements"].astype(int).to_numpy(),
            "documents": every["documents"].astype(int).to_numpy(),
        }
    )
    out["doc_share"] = (out["documents"] / n_docs).round(DECIMALS) if n_docs else 0.0
    out["score_sum"] = base["score_sum"].round(DECIMALS).to_numpy()
    out["attention_share"] = (out["score_sum"] / total).round(DECIMALS) if total else 0.0
    out["mean_score"] = every["mean_score"].round(DECIMALS).to_numpy()
    out["max_score"] = every["max_score"].round(DECIMALS).to_numpy()
    out["top_evidence"] = out["indicator"].map(_top_evidence(links)).fillna("")
    out["addressed"] = out["statements"] > 0
    return out


def indicator_rollup(links: pd.DataFrame, framework: Any) -> pd.DataFrame:
    """Corpus totals per second- and first-level group, with each group's attention share."""
    columns = ["level", "id", "name", "statements", "links", "documents", "score_sum", "attention_share",
               "mean_score", "max_score"]  # fmt: skip
    if framework is None:
        return pd.DataFrame(columns=columns)
    parts = []
    for level in ("second", "first"):
        every = rollup(links, framework, level)
        base = rollup(links, framework, level, include_boilerplate=_attention_base(links))
        total = float(base["score_sum"].sum())
        every["score_sum"] = base["score_sum"].to_numpy()
        every["attention_share"] = every["score_sum"] / total if total else 0.0
        parts.append(every.assign(level=level))
    out = pd.concat(parts, ignore_index=True)
    for col in ("score_sum", "attention_share", "mean_score", "max_score"):
        out[col] = out[col].astype(float).round(DECIMALS)
    return out[columns]


def indicator_documents(
    links: pd.DataFrame, info: pd.DataFrame, documents: pd.DataFrame, order: dict[str, int]
) -> pd.DataFrame:
    """Documents ranked by attention to each indicator (1 = most), only where there is some."""
    columns = ["indicator", "rank", "doc", "title", "statements", "score_sum", "per_10k", "best_score"]
    if links.empty:
        return pd.DataFrame(columns=columns)
    agg = attention_table(links)
    docs = documents.set_index(documents["doc"].astype(str))
    agg["title"] = agg["doc"].map(docs.get("title", {}))
    agg["per_10k"] = per_10k(agg["statements"], agg["doc"].map(docs["chars"]).fillna(0).to_numpy())
    agg["score_sum"] = agg["score_sum"].round(DECIMALS)
    agg["best_score"] = agg["best_score"].round(DECIMALS)
    pos = {i: k for k, i in enumerate(info["indicator"])}
    agg["_i"] = agg["indicator"].map(pos).fillna(len(pos))
    agg["_d"] = agg["doc"].map(lambda d: order.get(str(d), len(order)))
    agg = agg.sort_values(
        ["_i", "score_sum", "statements", "_d"], ascending=[True, False, False, True], kind="mergesort"
    )
    agg["rank"] = agg.groupby("indicator").cumcount() + 1
    return agg[columns].reset_index(drop=True)


def doc_indicator_matrix(
    links: pd.DataFrame,
    info: pd.DataFrame,
    documents: pd.DataFrame,
    order: dict[str, int],
    *,
    framework: Any = None,
    level: str = "indicator",
) -> pd.DataFrame:
    """Document × indicator (or × second/first-level group): linking statements per cell, row totals."""
    ids = info["indicator"].tolist() if level == "indicator" else framework.level_ids(level)
    sizes = documents[["doc", "chars"]].drop_duplicates("doc")
    wide = attention_matrix(links, sizes, framework=framework, level=level, measure="statements")
    wide = wide.reindex(columns=ids, fill_value=0)
    out = wide.reset_index(drop=True)
    out.columns = list(ids)
    out.insert(0, "doc", wide.index.to_numpy())
    linked = links.groupby("doc")["statement"].nunique() if not links.empty else pd.Series(dtype=int)
    out["statements_linked"] = out["doc"].map(linked).fillna(0).astype(int)
    addressed = "indicators_addressed" if level == "indicator" else "groups_addressed"
    out[addressed] = (out[ids] > 0).sum(axis=1) if ids else 0
    return sort_docs(out, order)


def region_indicator(
    links: pd.DataFrame, mentions: pd.DataFrame, info: pd.DataFrame, catalog: RegionCatalog
) -> pd.DataFrame:
    """Region × indicator: statements that name a region (as a place) and link to an indicator.

    ``statements``/``score_sum``/``documents`` count the region's own mentions; the ``*_rollup``
    columns add the statements naming its cities (a city counts toward its province and macro region,
    a province toward its macro region), each statement once.
    """
    if links.empty or mentions.empty:
        return pd.DataFrame(columns=REGION_INDICATOR_COLUMNS)
    direct = region_indicator_table(links, mentions)
    rolled = region_indicator_table(links, mentions, expand=lambda r: catalog.get(r).ancestors())
    out = rolled.merge(direct, on=["region", "indicator"], how="left", suffixes=("_rollup", ""))
    for col in ("statements", "documents"):
        out[col] = out[col].fillna(0).astype(int)
    for col in ("score_sum", "score_sum_rollup"):
        out[col] = out[col].fillna(0.0).astype(float).round(DECIMALS)
    regions = [catalog.get(str(r)) for r in out["region"]]
    out["name"] = [r.name for r in regions]
    out["level"] = [r.level for r in regions]
    out["indicator_name"] = out["indicator"].map(dict(zip(info["indicator"], info["name"], strict=True)))
    pos = {i: k for k, i in enumerate(info["indicator"])}
    out = out.assign(
        _lv=out["level"].map({lv: i for i, lv in enumerate(LEVELS)}).fillna(len(LEVELS)),
        _i=out["indicator"].map(pos).fillna(len(pos)),
    )
    out = out.sort_values(["_lv", "region", "_i", "indicator"], kind="mergesort")
    return out[REGION_INDICATOR_COLUMNS].reset_index(drop=True)
