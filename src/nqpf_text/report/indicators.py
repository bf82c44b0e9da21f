"""Indicator mapping: links per indicator, documents ranked by attention, unaddressed indicators.

Attention to an indicator is the sum of link scores of the statements linked to it (a statement
linked to two indicators counts for both, each with its own score). Shares use statements outside
boilerplate when there are any, so a quotation repeated in twenty pieces is not twenty signals.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._common import attr, per_10k, sort_docs

__all__ = [
    "doc_indicator_matrix",
    "framework_indicators",
    "indicator_documents",
    "indicator_links",
    "indicator_summary",
]

LINK_COLUMNS = [
    "doc", "statement", "indicator", "score", "evidence", "rank", "indicator_name", "start", "end",
    "boilerplate", "text",
]  # fmt: skip


def _level_maps(levels: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Names of level nodes and each node's parent, from ``levels`` (objects or mappings, nested)."""
    names: dict[str, str] = {}
    parents: dict[str, str] = {}

    def walk(nodes: Any, parent: str | None) -> None:
        for node in nodes or ():
            nid = attr(node, "id")
            if nid is None:
                continue
            names[str(nid)] = str(attr(node, "name") or nid)
            if parent is not None:
                parents[str(nid)] = parent
            walk(attr(node, "children"), str(nid))

    walk(levels, None)
    return names, parents


def framework_indicators(framework: Any, links: pd.DataFrame) -> pd.DataFrame:
    """The framework's leaves in order (plus any linked id the framework lacks), with level names."""
    columns = ["indicator", "name", "parent", "parent_name", "top", "top_name", "direction", "in_framework"]
    names, parents = _level_maps(attr(framework, "levels"))
    rows = []
    for ind in attr(framework, "indicators", ()) or ():
        iid = str(attr(ind, "id"))
        parent = attr(ind, "parent")
        parent = str(parent) if parent is not None else parents.get(iid)
        top = parents.get(parent or "", None) if parent else None
        rows.append(
            {
                "indicator": iid,
                "name": attr(ind, "name") or iid,
                "parent": parent,
                "parent_name": names.get(parent or ""),
                "top": top,
                "top_name": names.get(top or ""),
                "direction": attr(ind, "direction"),
                "in_framework": True,
            }
        )
    known = {r["indicator"] for r in rows}
    extra = sorted(set(links["indicator"].astype(str)) - known) if not links.empty else []
    rows += [
        {"indicator": i, "name": i, "parent": None, "parent_name": None, "top": None, "top_name": None,
         "direction": None, "in_framework": False}
        for i in extra
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def indicator_links(links: pd.DataFrame, info: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """``indicator_links.csv``: one row per statement and indicator, in corpus order, best link first."""
    if links.empty:
        return pd.DataFrame(columns=LINK_COLUMNS)
    names = dict(zip(info["indicator"], info["name"], strict=True))
    frame = links.copy()
    frame["indicator"] = frame["indicator"].astype(str)
    frame["indicator_name"] = frame["indicator"].map(names)
    if "boilerplate" not in frame:
        frame["boilerplate"] = False
    if "rank" not in frame:
        frame["rank"] = frame.groupby(["doc", "statement"])["score"].rank(ascending=False, method="first")
    frame["boilerplate"] = frame["boilerplate"].fillna(False).astype(bool)
    frame["rank"] = frame["rank"].astype(int)
    frame = sort_docs(frame, order, by=["statement", "rank", "indicator"])
    return frame[[c for c in LINK_COLUMNS if c in frame]]


def _attention_base(links: pd.DataFrame) -> pd.DataFrame:
    """The links that count for attention: outside boilerplate when any such link exists."""
    if links.empty:
        return links
    nb = links[~links["boilerplate"]]
    return nb if not nb.empty else links


def indicator_summary(links: pd.DataFrame, info: pd.DataFrame, n_docs: int) -> pd.DataFrame:
    """Per indicator: statements, documents, attention share, typical evidence, addressed or not."""
    base = _attention_base(links)
    total = float(base["score"].sum()) if not base.empty else 0.0
    rows = []
    for ind in info.itertuples(index=False):
        mine = links[links["indicator"] == ind.indicator] if not links.empty else links
        mine_base = base[base["indicator"] == ind.indicator] if not base.empty else base
        terms: dict[str, int] = {}
        for ev in mine["evidence"].fillna("").astype(str) if not mine.empty else []:
            for term in filter(None, ev.split("、")):
                terms[term] = terms.get(term, 0) + 1
        top_terms = sorted(terms, key=lambda t: (-terms[t], t))[:6]
        docs = mine["doc"].nunique() if not mine.empty else 0
        score_sum = float(mine_base["score"].sum()) if not mine_base.empty else 0.0
        rows.append(
            {
                "indicator": ind.indicator,
                "name": ind.name,
                "parent": ind.parent,
                "parent_name": ind.parent_name,
                "direction": ind.direction,
                "statements": len(mine),
                "statements_best": int((mine["rank"] == 1).sum()) if not mine.empty else 0,
                "statements_no_boilerplate": int((~mine["boilerplate"]).sum()) if not mine.empty else 0,
                "documents": docs,
                "doc_share": round(docs / n_docs, 4) if n_docs else 0.0,
                "score_sum": round(score_sum, 4),
                "attention_share": round(score_sum / total, 4) if total else 0.0,
                "mean_score": round(float(mine["score"].mean()), 4) if not mine.empty else 0.0,
                "max_score": round(float(mine["score"].max()), 4) if not mine.empty else 0.0,
                "top_evidence": "、".join(top_terms),
                "addressed": bool(len(mine)),
            }
        )
    return pd.DataFrame(rows)


def indicator_documents(
    links: pd.DataFrame, info: pd.DataFrame, documents: pd.DataFrame, order: dict[str, int]
) -> pd.DataFrame:
    """Documents ranked by attention to each indicator (1 = most), only where there is some."""
    columns = ["indicator", "rank", "doc", "title", "statements", "score_sum", "per_10k", "best_score"]
    if links.empty:
        return pd.DataFrame(columns=columns)
    agg = (
        links.groupby(["indicator", "doc"], sort=True)
        .agg(statements=("statement", "size"), score_sum=("score", "sum"), best_score=("score", "max"))
        .reset_index()
    )
    docs = documents.set_index(documents["doc"].astype(str))
    agg["title"] = agg["doc"].map(docs.get("title", {}))
    agg["per_10k"] = per_10k(agg["statements"], agg["doc"].map(docs["chars"]).fillna(0).to_numpy())
    agg["score_sum"] = agg["score_sum"].round(4)
    agg["best_score"] = agg["best_score"].round(4)
    pos = {i: k for k, i in enumerate(info["indicator"])}
    agg["_i"] = agg["indicator"].map(pos).fillna(len(pos))
    agg["_d"] = agg["doc"].map(lambda d: order.get(str(d), len(order)))
    agg = agg.sort_values(
        ["_i", "score_sum", "statements", "_d"], ascending=[True, False, False, True], kind="mergesort"
    )
    agg["rank"] = agg.groupby("indicator").cumcount() + 1
    return agg[columns].reset_index(drop=True)


def doc_indicator_matrix(
    links: pd.DataFrame, info: pd.DataFrame, documents: pd.DataFrame, order: dict[str, int]
) -> pd.DataFrame:
    """Document × indicator: linked statements per cell, with row totals."""
    ids = info["indicator"].tolist()
    docs = documents["doc"].astype(str)
    if links.empty:
        wide = pd.DataFrame(0, index=docs, columns=ids)
    else:
        wide = pd.crosstab(links["doc"].astype(str), links["indicator"].astype(str))
        wide = wide.reindex(index=docs, columns=ids, fill_value=0).fillna(0).astype(int)
    out = wide.reset_index(drop=True)
    out.insert(0, "doc", docs.to_numpy())
    out["statements_linked"] = (
        out["doc"].map(links.groupby("doc")["statement"].nunique()).fillna(0).astype(int)
        if not links.empty
        else 0
    )
    out["indicators_addressed"] = (out[ids] > 0).sum(axis=1) if ids else 0
    return sort_docs(out, order)
