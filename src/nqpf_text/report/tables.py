"""All report tables from the corpus tables: pure functions, DataFrames in, DataFrames out.

``build_tables`` returns an ordered ``dict`` (name → DataFrame); the order is the order of the
workbook sheets and of the report. Every table is sorted deterministically, so the same corpus
gives byte-identical CSV files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import pandas as pd

from ..link import links_frame
from ._common import doc_order, label, sort_docs
from .beside import beside_numbers
from .candidates import candidate_terms
from .coverage import dead_entries, document_coverage, keyword_coverage
from .focal import FocalRule, focal_regions
from .indicators import (
    doc_indicator_matrix,
    framework_indicators,
    indicator_documents,
    indicator_links,
    indicator_rollup,
    indicator_summary,
    region_indicator,
)
from .regional import (
    document_macro_shares,
    macro_shares,
    region_by,
    region_counts,
    region_mentions,
    region_time,
    region_year_panel,
)
from .regions import LEVELS, RegionCatalog

__all__ = ["DOCUMENT_COLUMNS", "CorpusLike", "build_tables", "candidate_table"]

DOCUMENT_COLUMNS = [
    "doc", "title", "date", "author", "outlet", "kind", "chars", "focal_region", "focal_region_name",
    "focal_level", "focal_province", "focal_macro", "focal_source", "focal_region_text", "focal_count",
    "focal_share", "source", "date_inferred", "date_cue", "affiliation", "sentences", "sentences_boilerplate",
    "mentions_region", "mentions_dimension", "mentions_industry", "statements_linked", "attention_east",
    "attention_central", "attention_west", "attention_northeast",
]  # fmt: skip
# What the documents frame brings in: every column of the table that is not computed here.
_COMPUTED = ("focal_", "sentences", "mentions_", "statements_", "attention_")
_DOC_INPUTS = [c for c in DOCUMENT_COLUMNS if not c.startswith(_COMPUTED)] + ["focal_region"]


class CorpusLike(Protocol):
    """What the reports read (``nqpf_text.pipeline.CorpusTables`` or any object with these fields)."""

    documents: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    links: pd.DataFrame
    skipped: pd.DataFrame
    issues: pd.DataFrame
    lexicons: list[Any]
    framework: Any


def _frame(ct: Any, name: str, columns: list[str]) -> pd.DataFrame:
    frame = getattr(ct, name, None)
    if frame is None:
        return pd.DataFrame(columns=columns)
    frame = frame.copy(deep=False)  # copy-on-write (pandas 3): the caller's frame never changes
    for col in columns:
        if col not in frame:
            frame[col] = None
    return frame


def _sentences(ct: Any, columns: list[str]) -> pd.DataFrame:
    """The sentences without their texts where ``ct`` keeps them so (``CorpusTables.sentence_spans``):
    only the candidate terms read a sentence's text."""
    return _frame(ct, "sentence_spans" if hasattr(ct, "sentence_spans") else "sentences", columns)


def _documents_input(ct: Any) -> pd.DataFrame:
    docs = _frame(ct, "documents", _DOC_INPUTS)
    docs["doc"] = docs["doc"].astype(str)
    if docs["chars"].isna().any() and "text" in docs:
        docs["chars"] = docs["chars"].fillna(docs["text"].fillna("").astype(str).str.len())
    docs["chars"] = docs["chars"].fillna(0).astype(int)
    return docs.reset_index(drop=True)


def _with_offsets(links: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Links with their statement's offsets, taken from the sentences where the links lack them."""
    if links.empty or not links[["start", "end"]].isna().any().any() or sentences.empty:
        return links
    spans = sentences.assign(doc=sentences["doc"].astype(str)).set_index(["doc", "sentence"])
    keys = pd.MultiIndex.from_arrays([links["doc"], links["statement"]])
    out = links.copy()
    for col in ("start", "end"):
        out[col] = out[col].fillna(pd.Series(spans[col].reindex(keys).to_numpy(), index=out.index))
    return out


def _documents_table(
    docs: pd.DataFrame,
    focal: pd.DataFrame,
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    links: pd.DataFrame,
    shares: pd.DataFrame,
) -> pd.DataFrame:
    out = docs.drop(columns=["focal_region"]).merge(focal, on="doc", how="left")
    ids = out["doc"]
    if not sentences.empty:
        flags = sentences["boilerplate"].fillna(False).astype(bool)
        out["sentences"] = ids.map(sentences.groupby("doc").size()).fillna(0).astype(int)
        out["sentences_boilerplate"] = ids.map(sentences[flags].groupby("doc").size()).fillna(0).astype(int)
    else:
        out["sentences"] = out["sentences_boilerplate"] = 0
    for cat in ("region", "dimension", "industry"):
        sub = mentions[mentions["category"] == cat] if not mentions.empty else mentions
        per_doc = sub.groupby("doc").size() if not sub.empty else pd.Series(dtype=int)
        out[f"mentions_{cat}"] = ids.map(per_doc).fillna(0).astype(int)
    per_doc_links = links.groupby("doc")["statement"].nunique() if not links.empty else pd.Series(dtype=int)
    out["statements_linked"] = ids.map(per_doc_links).fillna(0).astype(int)
    out = pd.concat([out.reset_index(drop=True), shares.reset_index(drop=True)], axis=1)
    out["date_inferred"] = out["date_inferred"].fillna(False).astype(bool)
    return out[DOCUMENT_COLUMNS]


def _focal_summary(documents: pd.DataFrame, catalog: RegionCatalog) -> pd.DataFrame:
    """How many documents each region is the focus of, over the corpus and per source file."""
    columns = ["scope", "level", "region", "name", "documents", "share"]
    have = documents.loc[documents["focal_region"].notna(), ["source", "focal_region"]]
    if have.empty:
        return pd.DataFrame(columns=columns)
    sources = documents["source"].dropna().astype(str)
    named = have[have["source"].notna()]
    counts = pd.concat(
        [
            have.groupby("focal_region").size().reset_index().assign(scope="(all)", everyone=len(documents)),
            named.assign(scope=named["source"].astype(str))
            .groupby(["scope", "focal_region"])
            .size()
            .reset_index()
            .assign(everyone=lambda f: f["scope"].map(sources.value_counts())),
        ],
        ignore_index=True,
    ).rename(columns={"focal_region": "region", 0: "documents"})
    regions = counts["region"].unique().tolist()
    counts["level"] = counts["region"].map({r: catalog.get(r).level for r in regions})
    counts["name"] = counts["region"].map({r: catalog.name(r) for r in regions})
    counts["share"] = (counts["documents"] / counts["everyone"]).round(4)
    counts["_s"] = counts["scope"].map(lambda s: (s != "(all)", s))
    counts["_l"] = counts["level"].map({lv: i for i, lv in enumerate(LEVELS)}).fillna(len(LEVELS))
    counts = counts.sort_values(
        ["_s", "_l", "documents", "region"], ascending=[True, True, False, True], kind="mergesort"
    )
    return counts[columns].reset_index(drop=True)


def _overview(docs: pd.DataFrame, tables: dict[str, pd.DataFrame], ct: Any) -> pd.DataFrame:
    mentions = getattr(ct, "mentions", pd.DataFrame())
    links = tables["indicator_links"]
    summary = tables["indicator_summary"]
    coverage = tables["keyword_coverage"]
    dated = docs["date"].map(lambda d: label(d) != "(none)")
    rows = [
        ("documents", len(docs)),
        ("documents dated", int(dated.sum())),
        ("characters (normalized)", int(docs["chars"].sum())),
        ("skipped files", len(getattr(ct, "skipped", pd.DataFrame()))),
        ("input warnings", len(getattr(ct, "issues", pd.DataFrame()))),
    ]
    if mentions is not None and not mentions.empty:
        for cat, n in mentions.groupby("category").size().sort_index().items():
            rows.append((f"mentions: {cat}", int(n)))
    rows += [
        ("documents with a focal region", int(tables["documents"]["focal_region"].notna().sum())),
        ("lexicon terms", int((coverage["kind"] != "found").sum())),
        ("lexicon terms never found", int(((coverage["kind"] == "term") & (coverage["count"] == 0)).sum())),
        ("dead entries", len(tables["dead_entries"])),
        ("candidate terms", len(tables["candidate_terms"])),
        ("framework", str(getattr(ct.framework, "name", "") or "")),
        (
            "statements linked",
            int(links[["doc", "statement"]].drop_duplicates().shape[0]) if len(links) else 0,
        ),
        ("indicator links", len(links)),
        (
            "indicators addressed",
            f"{int(summary['addressed'].sum()) if len(summary) else 0} of {len(summary)}",
        ),
    ]
    return pd.DataFrame([(k, str(v)) for k, v in rows], columns=["metric", "value"])


def _notes(focal_rule: FocalRule) -> list[tuple[str, str]]:
    return [
        (
            "regions",
            "Counts are place mentions of the region's own id; *_rollup columns add the mentions of its cities "
            "(and, for macro regions, of its provinces); names inside organisations (南京日报, 北京大学) are "
            "counted apart as count_org. Rates are per 10,000 normalized characters of all documents in scope.",
        ),
        (
            "focal",
            "Focal region: a metadata value wins; otherwise the province with the most place mentions (its "
            f"cities included), if it has at least {focal_rule.min_count} and {focal_rule.min_share:.0%} of "
            f"all; one of its cities when that city alone has {focal_rule.city_share:.0%} of the province's "
            "mentions and at least as many as the province's own name; macro regions and zones only when no province "
            "qualifies. focal_region_text always gives the text's own answer.",
        ),
        (
            "coverage",
            "Keyword counts are distinct tagged spans per lexicon term; *_no_boilerplate leaves out sentences "
            "repeated across several documents. Candidate terms are frequent noun phrases near lexicon terms, "
            "ranked by corpus count × general-language IDF (jieba's table); check them before adding.",
        ),
        (
            "indicators",
            "Attention to an indicator is the sum of link scores of its statements outside boilerplate; "
            "documents are ranked per indicator by that sum. doc_indicator_matrix_second/_first count the "
            "statements linking to any indicator of a second- or first-level group.",
        ),
        (
            "region_indicator",
            "Region × indicator: statements that name a region as a place and link to an indicator; "
            "score_sum adds their link scores. *_rollup columns add the statements naming its cities "
            "(and, for macro regions, its provinces), each statement once.",
        ),
    ]


def candidate_table(ct: CorpusLike, top: int = 150) -> pd.DataFrame:
    """The ``candidate_terms`` table of :func:`build_tables`, on its own."""
    sentences = _sentences(ct, ["doc", "sentence", "start", "end", "boilerplate"])
    mentions = _frame(ct, "mentions", ["doc", "text", "category", "id", "term"])
    lexicons = list(getattr(ct, "lexicons", None) or [])
    return candidate_terms(
        sentences, mentions, lexicons, top=top, documents=_frame(ct, "documents", ["doc", "text"])
    )


def build_tables(
    ct: CorpusLike,
    *,
    panel: Any = None,
    panel_unit: str | None = None,
    panel_time: str | None = None,
    panel_score: str | None = None,
    focal_rule: FocalRule | None = None,
    candidates_top: int = 150,
    candidates: Callable[[], pd.DataFrame] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Every report table, in report order.

    ``panel`` (optional) is a PANEL.csv path, a DataFrame or a scoring ``Panel`` with one row per
    region and year: hqe21 indicator columns (weighted by the scoring engine) or a score column.
    ``candidates`` (optional) returns the ``candidate_table`` when it is needed, last, so that it
    can be computed elsewhere in the meantime (the slowest table: it segments the whole corpus).
    """
    steps = 6
    tick = progress or (lambda stage, done, total: None)
    focal_rule = focal_rule or FocalRule()
    docs = _documents_input(ct)
    order = doc_order(docs)
    sentences = _sentences(ct, ["doc", "sentence", "start", "end", "boilerplate"])
    mentions = _frame(
        ct, "mentions", ["doc", "start", "end", "text", "category", "id", "group", "role", "term"]
    )
    mentions = mentions.assign(doc=mentions["doc"].astype(str))
    links = links_frame(
        _frame(ct, "links", ["doc", "statement", "start", "end", "indicator", "score", "evidence", "rank"])
    )
    lexicons = list(getattr(ct, "lexicons", None) or [])
    framework = getattr(ct, "framework", None)

    catalog = RegionCatalog.build(lexicons, mentions)
    counts = region_counts(mentions, catalog)
    focal = focal_regions(docs, counts, catalog, focal_rule)
    tick("report", 1, steps)
    tables: dict[str, pd.DataFrame] = {"overview": pd.DataFrame()}
    tables["documents"] = _documents_table(
        docs, focal, sentences, mentions, links, document_macro_shares(docs, counts)
    )
    tables["region_mentions"] = region_mentions(docs, counts, catalog, order)
    tables["region_year_panel"] = region_year_panel(docs, counts, catalog)
    tables["region_time"] = region_time(docs, counts, catalog)
    for field in ("author", "outlet", "kind"):
        tables[f"region_by_{field}"] = region_by(docs, counts, catalog, field)
    tables["macro_shares"] = macro_shares(docs, counts, catalog)
    tables["focal_regions"] = _focal_summary(tables["documents"], catalog)
    tick("report", 2, steps)

    coverage = keyword_coverage(lexicons, mentions, docs, sentences)
    tables["keyword_coverage"] = coverage
    tables["document_coverage"] = document_coverage(lexicons, mentions, docs, order)
    tables["dead_entries"] = dead_entries(coverage)
    tick("report", 3, steps)
    tables["candidate_terms"] = pd.DataFrame()  # its place in the report; filled in last
    tick("report", 4, steps)

    info = framework_indicators(framework, links)
    tables["indicator_links"] = linked = indicator_links(_with_offsets(links, sentences), info, order)
    tables["indicator_summary"] = indicator_summary(linked, info, len(docs))
    tables["indicator_rollup"] = indicator_rollup(linked, framework)
    tables["indicator_documents"] = indicator_documents(linked, info, docs, order)
    tables["doc_indicator_matrix"] = doc_indicator_matrix(linked, info, docs, order)
    for level in ("second", "first"):
        tables[f"doc_indicator_matrix_{level}"] = (
            doc_indicator_matrix(linked, info, docs, order, framework=framework, level=level)
            if framework is not None
            else docs[["doc"]].copy()
        )
    tables["region_indicator"] = region_indicator(linked, mentions, info, catalog)
    tick("report", 5, steps)

    beside, beside_notes = beside_numbers(
        panel,
        framework=framework,
        summary=tables["indicator_summary"],
        region_panel=tables["region_year_panel"],
        catalog=catalog,
        unit=panel_unit,
        time=panel_time,
        score=panel_score,
    )
    tables.update(beside)
    tables["skipped"] = (
        _frame(ct, "skipped", ["file", "reason"])[["file", "reason"]]
        .sort_values(["file", "reason"], kind="mergesort")
        .reset_index(drop=True)
    )
    tables["issues"] = _frame(ct, "issues", ["file", "place", "message"])[
        ["file", "place", "message"]
    ].reset_index(drop=True)
    tables["notes"] = pd.DataFrame(_notes(focal_rule) + beside_notes, columns=["section", "note"])
    tables["candidate_terms"] = (
        candidates() if candidates is not None else candidate_table(ct, candidates_top)
    )
    tables["overview"] = _overview(docs, tables, ct)
    tables["documents"] = sort_docs(tables["documents"], order)
    tick("report", 6, steps)
    return tables
