"""Keyword coverage: every term of every lexicon counted, dead entries, and per-document coverage.

A term's occurrences are the distinct spans the tagger attributed to it (an expanding term such as
中西部 yields two mentions but is one occurrence). Pattern rules of an entry share one row. Counts
``_no_boilerplate`` leave out sentences flagged as boilerplate (quotations repeated across pieces),
with rates over the characters outside those sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._common import attr, per_10k, sort_docs

__all__ = [
    "COVERAGE_COLUMNS",
    "INDUSTRY_GROUPS",
    "dead_entries",
    "document_coverage",
    "keyword_coverage",
]

INDUSTRY_GROUPS = ("strategic_emerging", "future", "traditional", "digital", "other")
COVERAGE_COLUMNS = [
    "lexicon", "id", "term", "count", "documents", "doc_share", "per_10k", "category", "name", "group",
    "level", "kind", "count_no_boilerplate", "documents_no_boilerplate", "doc_share_no_boilerplate",
    "per_10k_no_boilerplate",
]  # fmt: skip


def _spans(mentions: pd.DataFrame) -> pd.DataFrame:
    cols = ["lexicon", "term", "id", "doc", "start", "end", "boilerplate"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    m = mentions.copy(deep=False)
    if "boilerplate" not in m:
        m["boilerplate"] = False
    m["boilerplate"] = m["boilerplate"].fillna(False).astype(bool)
    for col in ("lexicon", "term", "id", "doc"):
        m[col] = m[col].fillna("").astype(str)
    return m[cols]


class _Spans:
    """The spans as integer arrays, so that one term's statistics cost a few array operations.

    A span is one (doc, start, end); ``drop_duplicates`` on those columns kept the first mention of
    each span, and every mention of a span shares its sentence's boilerplate flag.
    """

    def __init__(self, spans: pd.DataFrame) -> None:
        import numpy as np

        self.frame = spans
        self.span = (
            spans.groupby(["doc", "start", "end"], sort=False).ngroup().to_numpy()
            if len(spans)
            else np.zeros(0, np.int64)
        )
        n = int(self.span.max()) + 1 if len(self.span) else 0
        self.span_doc = np.zeros(n, np.int64)
        self.span_nb = np.zeros(n, bool)
        self.span_doc[self.span] = pd.factorize(spans["doc"])[0] if len(spans) else []
        self.span_nb[self.span] = ~spans["boilerplate"].to_numpy(dtype=bool) if len(spans) else []
        self.ids = pd.factorize(spans["id"])[0] if len(spans) else np.zeros(0, np.int64)
        self.id_codes = {v: k for k, v in enumerate(pd.unique(spans["id"]))} if len(spans) else {}
        self.by_term = spans.groupby(["lexicon", "term"], sort=False).indices if len(spans) else {}
        self.by_entry = spans.groupby(["lexicon", "id"], sort=False).indices if len(spans) else {}

    def with_ids(self, rows: Any, ids: Sequence[str]) -> Any:
        import numpy as np

        codes = [self.id_codes[i] for i in ids if i in self.id_codes]
        return rows[np.isin(self.ids[rows], codes)]

    def stats(self, rows: Any, n_docs: int, chars: int, nb_chars: int) -> dict[str, Any]:
        import numpy as np

        spans = np.unique(self.span[rows])
        nb = spans[self.span_nb[spans]]
        docs = len(np.unique(self.span_doc[spans]))
        nb_docs = len(np.unique(self.span_doc[nb]))
        return {
            "count": len(spans),
            "documents": docs,
            "doc_share": round(docs / n_docs, 4) if n_docs else 0.0,
            "per_10k": per_10k(len(spans), chars),
            "count_no_boilerplate": len(nb),
            "documents_no_boilerplate": nb_docs,
            "doc_share_no_boilerplate": round(nb_docs / n_docs, 4) if n_docs else 0.0,
            "per_10k_no_boilerplate": per_10k(len(nb), nb_chars),
        }


def _boilerplate_chars(sentences: pd.DataFrame | None) -> int:
    if sentences is None or sentences.empty or "boilerplate" not in sentences:
        return 0
    flagged = sentences[sentences["boilerplate"].fillna(False).astype(bool)]
    return int((flagged["end"] - flagged["start"]).sum())


def keyword_coverage(
    lexicons: Sequence[Any],
    mentions: pd.DataFrame,
    documents: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``keyword_coverage.csv``: one row per lexicon term (and per entry's patterns), in lexicon order."""
    spans = _spans(mentions)
    n_docs = len(documents)
    chars = int(documents["chars"].sum()) if n_docs else 0
    nb_chars = max(0, chars - _boilerplate_chars(sentences))
    index = _Spans(spans)
    none = np.zeros(0, np.int64)
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for lex in lexicons:
        lex_name = str(attr(lex, "name"))
        for entry in lex:
            ids = tuple(attr(entry, "expands") or ()) or (str(attr(entry, "id")),)
            rules = list(attr(entry, "terms") or ())
            plain = [attr(r, "term") for r in rules if attr(r, "term")]
            patterns = [attr(r, "pattern") for r in rules if attr(r, "pattern")]
            base = {
                "lexicon": lex_name,
                "id": str(attr(entry, "id")),
                "category": attr(entry, "category") or attr(lex, "category"),
                "name": attr(entry, "name"),
                "group": attr(entry, "group"),
                "level": attr(entry, "level"),
            }
            for term in dict.fromkeys(plain):
                found = index.with_ids(index.by_term.get((lex_name, term), none), ids)
                seen.update((lex_name, term, i) for i in ids)
                rows.append(
                    {**base, "term": term, "kind": "term", **index.stats(found, n_docs, chars, nb_chars)}
                )
            if patterns:
                found = np.concatenate([index.by_entry.get((lex_name, i), none) for i in ids])
                terms = spans["term"].to_numpy()[found]
                found = found[~pd.Series(terms, dtype=object).isin(plain).to_numpy()]
                seen.update((lex_name, t, i) for t in set(spans["term"].to_numpy()[found]) for i in ids)
                rows.append(
                    {
                        **base,
                        "term": " | ".join(patterns),
                        "kind": "pattern",
                        **index.stats(found, n_docs, chars, nb_chars),
                    }
                )
    rows += _unlisted(index, seen, n_docs, chars, nb_chars)
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def _unlisted(index: _Spans, seen: set, n_docs: int, chars: int, nb_chars: int) -> list[dict]:
    """Mentions from lexicons the report was not given (kept, so no count silently disappears)."""
    import numpy as np

    spans = index.frame
    rows = []
    keys = pd.MultiIndex.from_arrays([spans["lexicon"], spans["term"], spans["id"]])
    rest = np.flatnonzero(~keys.isin(list(seen))) if not spans.empty else np.zeros(0, np.int64)
    if not len(rest):
        return rows
    groups = spans.iloc[rest].groupby(["lexicon", "term", "id"], sort=True).indices
    for (lex, term, rid), where in groups.items():
        rows.append(
            {
                "lexicon": lex,
                "id": rid,
                "term": term,
                "kind": "found",
                "category": None,
                "name": None,
                "group": None,
                "level": None,
                **index.stats(rest[where], n_docs, chars, nb_chars),
            }
        )
    return rows


def dead_entries(coverage: pd.DataFrame) -> pd.DataFrame:
    """Entries none of whose terms or patterns occur anywhere in the corpus."""
    columns = ["lexicon", "id", "name", "category", "group", "level", "n_terms", "terms"]
    listed = coverage[coverage["kind"] != "found"]
    if listed.empty:
        return pd.DataFrame(columns=columns)
    grouped = listed.groupby(["lexicon", "id"], sort=False)
    rows = []
    for (lex, rid), group in grouped:
        if int(group["count"].sum()) > 0:
            continue
        first = group.iloc[0]
        rows.append(
            {
                "lexicon": lex,
                "id": rid,
                "name": first["name"],
                "category": first["category"],
                "group": first["group"],
                "level": first["level"],
                "n_terms": len(group),
                "terms": "、".join(group["term"].astype(str)),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _coverage_keys(lexicons: Sequence[Any], mentions: pd.DataFrame) -> list[tuple[str, str]]:
    """(category, key) columns: dimension ids, industry groups, then ids of other categories."""
    keys: list[tuple[str, str]] = []
    for lex in lexicons:
        for entry in lex:
            cat = attr(entry, "category") or attr(lex, "category")
            if cat not in ("region", "industry"):
                keys.append((str(cat), str(attr(entry, "id"))))
    keys += [("industry", g) for g in INDUSTRY_GROUPS]
    if not mentions.empty:
        for cat, rid, group in (
            mentions[["category", "id", "group"]].drop_duplicates().itertuples(index=False)
        ):
            if cat == "region":
                continue
            key = (str(cat), str(group) if cat == "industry" else str(rid))
            if cat == "industry" and (pd.isna(group) or not group):
                key = ("industry", "other")
            keys.append(key)
    return list(dict.fromkeys(keys))


def document_coverage(
    lexicons: Sequence[Any], mentions: pd.DataFrame, documents: pd.DataFrame, order: dict[str, int]
) -> pd.DataFrame:
    """Per document: mentions of each dimension, industry group and other category entry (wide)."""
    keys = _coverage_keys(lexicons, mentions)
    col_names = [f"{cat}.{key}" for cat, key in keys]
    docs = documents["doc"].astype(str)
    if mentions.empty:
        wide = pd.DataFrame(0, index=docs, columns=col_names)
    else:
        m = mentions.loc[mentions["category"] != "region", ["doc", "start", "end", "category", "id", "group"]]
        key = m["id"].astype(str).where(m["category"] != "industry", m["group"].fillna("other").astype(str))
        # a column name per distinct (category, key), not a new string per mention
        cat_codes, cats = pd.factorize(m["category"].astype(str))
        key_codes, keys = pd.factorize(key)
        pair = np.where((cat_codes >= 0) & (key_codes >= 0), cat_codes * len(keys) + key_codes, -1)
        codes, pairs = pd.factorize(pair)
        names = [None if p < 0 else f"{cats[p // len(keys)]}.{keys[p % len(keys)]}" for p in pairs]
        col = np.asarray(names, dtype=object)[codes]
        unique = m[["doc", "start", "end"]].assign(col=col).drop_duplicates()
        wide = pd.crosstab(unique["doc"].astype(str), unique["col"])
        wide = wide.reindex(index=docs, columns=col_names, fill_value=0).fillna(0).astype(int)
    out = wide.reset_index(drop=True)
    out.insert(0, "doc", docs.to_numpy())
    dims = [c for c in col_names if c.startswith("dimension.")]
    inds = [c for c in col_names if c.startswith("industry.")]
    out["dimensions_touched"] = (out[dims] > 0).sum(axis=1) if dims else 0
    out["industry_groups_touched"] = (out[inds] > 0).sum(axis=1) if inds else 0
    return sort_docs(out, order)
