"""``report.html``: one self-contained page — inline CSS, inline SVG charts, no script, no fetch.

Safety: every value that comes from the corpus or its metadata goes through ``html.escape``
(``_e``) at the moment it is written; markup is only ever built from our own constants. A
Content-Security-Policy meta tag forbids scripts and any network fetch as a second line of defence.
The only thing that varies between two runs on the same input is the ``generated`` timestamp.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

import pandas as pd

from . import svg
from ._common import is_blank
from .regions import MACROS
from .tables import DOCUMENT_COLUMNS

__all__ = ["CSP", "highlight", "render_html"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"
_MACRO_LABELS = ("东部 east", "中部 central", "西部 west", "东北 northeast")
_CSS = """
:root { --ink:#1f2328; --muted:#59636e; --line:#d1d9e0; --band:#f6f8fa; --accent:#3b6ea8; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 24px 28px 60px; color: var(--ink); line-height: 1.5;
  font-family: 'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Zen Hei','Microsoft YaHei','PingFang SC',
  system-ui, sans-serif; font-size: 14px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 21px; margin: 36px 0 8px; padding-bottom: 4px;
  border-bottom: 2px solid var(--line); } h3 { font-size: 16px; margin: 22px 0 6px; }
.meta, .note { color: var(--muted); } .note { font-size: 13px; margin: 4px 0 10px; }
nav { background: var(--band); padding: 8px 12px; border-radius: 6px; margin: 14px 0; }
nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
.scroll { overflow-x: auto; margin: 6px 0 14px; }
table { border-collapse: collapse; font-size: 12.5px; }
th, td { border: 1px solid var(--line); padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: var(--band); position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td { white-space: nowrap; } td.long { white-space: normal; min-width: 14em; max-width: 36em; }
details > summary { cursor: pointer; color: var(--accent); margin: 6px 0; }
tr:nth-child(even) td { background: #fbfcfd; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 10px 0 16px; }
mark { background: #ffe08a; padding: 0 1px; }
.stmt { margin: 4px 0 8px; padding: 4px 8px; border-left: 3px solid var(--line); }
.stmt .where { color: var(--muted); font-size: 12px; }
.pill { display: inline-block; background: var(--band); border: 1px solid var(--line); border-radius: 10px;
  padding: 0 8px; margin: 2px 3px; font-size: 12px; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 8px 24px; }
"""


def _e(value: Any) -> str:
    return escape("" if is_blank(value) else str(value), quote=True)


def _cell(value: Any) -> tuple[str, bool]:
    """Text of a table cell (escaped) and whether it is a number."""
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and math.isnan(value):
            return "", True
        if isinstance(value, float) and not value.is_integer():
            return f"{value:.4f}".rstrip("0").rstrip("."), True
        return str(int(value)), True
    try:
        if pd.api.types.is_number(value) and not isinstance(value, str):
            return _cell(value.item())
    except (AttributeError, ValueError):
        pass
    return _e(value), False


def table(
    frame: pd.DataFrame, columns: Sequence[str] | None = None, *, limit: int = 200, name: str = ""
) -> str:
    """An HTML table of the first ``limit`` rows, with a note pointing at the full CSV."""
    if frame is None or frame.empty:
        return '<p class="note">(none)</p>'
    cols = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    head = "".join(f"<th>{_e(c)}</th>" for c in cols)
    body = []
    for row in frame[cols].head(limit).itertuples(index=False):
        cells = []
        for value in row:
            text, numeric = _cell(value)
            if numeric:
                cells.append(f'<td class="num">{text}</td>')
            else:
                cells.append(f'<td class="long">{text}</td>' if len(text) > 14 else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if len(frame) > limit:
        where = f" — all {len(frame):,} rows in tables/{_e(name)}.csv" if name else ""
        more = f'<p class="note">First {limit} rows shown{where}.</p>'
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>{more}'


def highlight(text: Any, terms: Iterable[str]) -> str:
    """``text`` escaped, with every occurrence of ``terms`` (longest first) wrapped in ``<mark>``."""
    raw = "" if is_blank(text) else str(text)
    words = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
    if not words:
        return _e(raw)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    out, pos = [], 0
    for m in pattern.finditer(raw):
        out.append(_e(raw[pos : m.start()]))
        out.append(f"<mark>{_e(m.group(0))}</mark>")
        pos = m.end()
    out.append(_e(raw[pos:]))
    return "".join(out)


def doc_labels(docs: Iterable[Any]) -> dict[str, str]:
    """Document names without the folder all of them share (``corpus/a.txt#2`` → ``a.txt#2``)."""
    names = [str(d) for d in docs]
    files = [n.split("#", 1)[0] for n in names]
    if not names or not all("/" in f for f in files):
        return {n: n for n in names}
    common = os.path.commonpath(files) if len(set(files)) > 1 else os.path.dirname(files[0])
    cut = len(common) + 1 if common else 0
    return {n: n[cut:] if n.startswith(common) else n for n in names}


def _short(doc: str, titles: dict[str, Any]) -> str:
    """A heatmap row label: the short document name and the start of its title."""
    title = titles.get(doc)
    if is_blank(title):
        return doc
    title = str(title)
    return f"{doc} {title[:14]}…" if len(title) > 14 else f"{doc} {title}"


def _with_labels(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Tables for display: ``doc`` columns shortened (the CSV files keep the full names)."""
    docs = tables["documents"]["doc"] if "documents" in tables else []
    labels = doc_labels(docs)
    out = {}
    for name, frame in tables.items():
        if "doc" in frame.columns and len(frame):
            frame = frame.assign(doc=frame["doc"].map(lambda d: labels.get(str(d), str(d))))
        out[name] = frame
    return out


def _notes(tables: dict[str, pd.DataFrame], section: str) -> str:
    notes = tables.get("notes")
    if notes is None or notes.empty:
        return ""
    rows = notes[notes["section"] == section]["note"]
    return "".join(f'<p class="note">{_e(n)}</p>' for n in rows)


# -- sections -------------------------------------------------------------------------------
def _overview(tables: dict[str, pd.DataFrame]) -> str:
    return '<section id="overview"><h2>Overview</h2>' + table(tables["overview"]) + "</section>"


def _documents(tables: dict[str, pd.DataFrame]) -> str:
    cols = [*DOCUMENT_COLUMNS[:9], "focal_source", "mentions_region", "mentions_dimension",
            "mentions_industry", "statements_linked"]  # fmt: skip
    docs = tables["documents"]
    return (
        f'<section id="documents"><h2>Documents ({len(docs)})</h2>'
        '<p class="note">Names are shown without their common folder; tables/documents.csv has them in full, '
        "with dates, authors, focal regions and counts.</p>"
        f"<details{' open' if len(docs) <= 30 else ''}><summary>The list of {len(docs)} documents</summary>"
        + table(docs, cols, limit=300, name="documents")
        + "</details></section>"
    )


def _regions(tables: dict[str, pd.DataFrame]) -> str:
    parts = ['<section id="regions"><h2>Regional emphasis</h2>', _notes(tables, "regions")]
    rm = tables["region_mentions"]
    for level, title, n in (("province", "Provinces", 20), ("city", "Cities", 20)):
        sub = rm[rm["level"] == level] if not rm.empty else rm
        if sub.empty:
            continue
        agg = sub.groupby(["region", "name"], as_index=False)[
            "count_rollup" if level == "province" else "count"
        ].sum()
        value = agg.columns[-1]
        agg = agg.sort_values([value, "region"], ascending=[False, True], kind="mergesort").head(n)
        parts.append(
            svg.bar_chart(
                [(r.name, float(getattr(r, value))) for r in agg.itertuples()],
                f"{title}: place mentions{' incl. their cities' if level == 'province' else ''} (top {n})",
            )
        )
    shares = tables["macro_shares"]
    rows = []
    for (scope, group), sub in shares.groupby(["scope", "group"], sort=False):
        if scope in ("all", "year"):
            values = [float(sub[sub["macro"] == m]["share"].sum()) for m in MACROS]
            rows.append((("all documents" if scope == "all" else f"{group}"), values))
    if rows:
        parts.append(svg.share_bars(rows, _MACRO_LABELS, "Share of attention by macro region (roll-up)"))
    parts.append("<h3>Focal regions</h3>" + _notes(tables, "focal"))
    focal = tables["focal_regions"]
    parts.append(
        table(focal[focal["scope"] == "(all)"] if not focal.empty else focal, limit=40, name="focal_regions")
    )
    panel = tables["region_year_panel"]
    prov = panel[(panel["level"] == "province") & (panel["count_rollup"] > 0)] if not panel.empty else panel
    if not prov.empty and prov["year"].nunique() >= 1:
        top = prov.groupby("region")["count_rollup"].sum().sort_values(ascending=False, kind="mergesort")
        regions = sorted(top.head(15).index, key=lambda r: (-top[r], r))
        years = sorted(prov["year"].unique())
        names = dict(zip(panel["region"], panel["name"], strict=False))
        grid = prov.pivot_table(
            index="region", columns="year", values="per_10k_rollup", aggfunc="sum", fill_value=0
        )
        values = [[float(grid.loc[r, y]) if y in grid.columns else 0.0 for y in years] for r in regions]
        parts.append(
            svg.heatmap(
                [names.get(r, r) for r in regions],
                [str(y) for y in years],
                values,
                "Province × year: mentions per 10,000 characters (incl. cities)",
            )
        )
    kind = tables.get("region_by_kind")
    if kind is not None and not kind.empty:
        top_kind = kind[kind["level"] == "province"].sort_values(
            ["kind", "count_rollup", "region"], ascending=[True, False, True], kind="mergesort"
        )
        parts.append("<h3>Provinces by document kind</h3>")
        parts.append(
            table(
                top_kind.groupby("kind").head(5),
                ["kind", "name", "count_rollup", "per_10k_rollup", "documents_rollup"],
                limit=60,
                name="region_by_kind",
            )
        )
    parts.append("</section>")
    return "".join(parts)


def _coverage(tables: dict[str, pd.DataFrame]) -> str:
    cov = tables["keyword_coverage"]
    parts = ['<section id="coverage"><h2>Keyword coverage</h2>', _notes(tables, "coverage")]
    if not cov.empty:
        dims = (
            cov[cov["category"] == "dimension"]
            .groupby(["id", "name"], as_index=False, sort=False)["count"]
            .sum()
        )
        if not dims.empty:
            parts.append(
                svg.bar_chart(
                    [(f"{r.name} ({r.id})", float(r.count)) for r in dims.itertuples()],
                    "Dimensions: occurrences",
                )
            )
        ind = cov[cov["category"] == "industry"].groupby("group", as_index=False, sort=False)["count"].sum()
        if not ind.empty:
            parts.append(
                svg.bar_chart(
                    [(str(r.group), float(r.count)) for r in ind.itertuples()],
                    "Industry groups: occurrences",
                    color=svg.PALETTE[2],
                )
            )
        found = cov[cov["count"] > 0].sort_values(
            ["count", "lexicon", "term"], ascending=[False, True, True], kind="mergesort"
        )
        parts.append("<h3>Most frequent terms</h3>")
        parts.append(
            table(
                found,
                [
                    "lexicon",
                    "id",
                    "name",
                    "term",
                    "count",
                    "documents",
                    "doc_share",
                    "per_10k",
                    "count_no_boilerplate",
                ],
                limit=40,
                name="keyword_coverage",
            )
        )
    dc = tables["document_coverage"]
    cols = [c for c in dc.columns if c.startswith(("dimension.", "industry."))]
    if not dc.empty and cols:
        titles = dict(zip(tables["documents"]["doc"], tables["documents"]["title"], strict=False))
        total = dc[cols].sum(axis=1)
        keep = total[total > 0].sort_values(ascending=False, kind="mergesort").head(40).index
        head = dc.loc[sorted(keep)]
        title = "Per-document coverage: dimension and industry-group mentions"
        if len(keep) < int((total > 0).sum()):
            title += f" ({len(keep)} documents with the most)"
        parts.append(
            svg.heatmap(
                [_short(d, titles) for d in head["doc"]],
                [c.split(".", 1)[1] for c in cols],
                head[cols].to_numpy(dtype=float).tolist(),
                title,
            )
        )
    dead = tables["dead_entries"]
    parts.append(f"<h3>Dead entries ({len(dead)})</h3>")
    parts.append('<p class="note">Entries none of whose terms occur in this corpus.</p>')
    if not dead.empty:
        parts.append(f"<details><summary>Show the {len(dead)} dead entries</summary>")
        parts.append(table(dead, ["lexicon", "id", "name", "terms"], limit=400, name="dead_entries"))
        parts.append("</details>")
    parts.append("<h3>Candidate terms not in any lexicon</h3>")
    parts.append(
        table(
            tables["candidate_terms"],
            ["term", "count", "documents", "score", "relation", "near", "near_lexicon", "near_id"],
            limit=50,
            name="candidate_terms",
        )
    )
    parts.append("</section>")
    return "".join(parts)


def _indicators(tables: dict[str, pd.DataFrame]) -> str:
    summary = tables["indicator_summary"]
    links = tables["indicator_links"]
    docs_rank = tables["indicator_documents"]
    parts = ['<section id="indicators"><h2>Indicator mapping</h2>', _notes(tables, "indicators")]
    if summary.empty:
        parts.append('<p class="note">No framework indicators.</p></section>')
        return "".join(parts)
    missing = summary[~summary["addressed"]]
    parts.append(
        svg.bar_chart(
            [(f"{r.indicator} {r.name}", float(r.statements)) for r in summary.itertuples()],
            "Linked statements per indicator",
            highlight=[f"{r.indicator} {r.name}" for r in missing.itertuples()],
            note="Orange: never addressed." if len(missing) else "",
        )
    )
    parts.append(f"<h3>Never addressed ({len(missing)})</h3>")
    parts.append(
        "<p>"
        + "".join(f'<span class="pill">{_e(r.indicator)} {_e(r.name)}</span>' for r in missing.itertuples())
        + ("" if len(missing) else '<span class="note">every indicator has at least one statement</span>')
        + "</p>"
    )
    parts.append(
        table(
            summary,
            [
                "indicator",
                "name",
                "parent_name",
                "statements",
                "documents",
                "attention_share",
                "mean_score",
                "top_evidence",
            ],
            limit=100,
        )
    )
    parts.append("<h3>Statements and documents per indicator</h3>")
    for r in summary[summary["addressed"]].itertuples():
        mine = links[links["indicator"] == r.indicator].sort_values(
            ["score", "doc", "statement"], ascending=[False, True, True], kind="mergesort"
        )
        parts.append(
            f"<h3>{_e(r.indicator)} {_e(r.name)} <span class='note'>({r.statements} statements)</span></h3>"
        )
        for s in mine.head(3).itertuples():
            terms = str(s.evidence or "").split("、")
            parts.append(
                f'<div class="stmt">{highlight(str(s.text)[:400], terms)}<div class="where">{_e(s.doc)} · '
                f"sentence {_e(s.statement)} · score {_cell(s.score)[0]} · evidence {_e(s.evidence)}</div></div>"
            )
        top = docs_rank[docs_rank["indicator"] == r.indicator].head(5)
        parts.append(table(top, ["rank", "doc", "title", "statements", "score_sum"], limit=5))
    matrix = tables["doc_indicator_matrix"]
    ids = summary["indicator"].tolist()
    if not matrix.empty:
        top = (
            matrix[matrix["statements_linked"] > 0]
            .sort_values(["statements_linked", "doc"], ascending=[False, True], kind="mergesort")
            .head(30)
        )
        if not top.empty:
            titles = dict(zip(tables["documents"]["doc"], tables["documents"]["title"], strict=False))
            parts.append(
                svg.heatmap(
                    [_short(d, titles) for d in top["doc"]],
                    ids,
                    top[ids].to_numpy(dtype=float).tolist(),
                    "Document × indicator: linked statements (30 documents with most links)",
                )
            )
    parts.append(_region_indicator(tables))
    parts.append("</section>")
    return "".join(parts)


def _region_indicator(tables: dict[str, pd.DataFrame], rows: int = 25) -> str:
    """Regions beside indicators: a heatmap of the most linked regions and the top pairs."""
    frame = tables.get("region_indicator")
    parts = ["<h3>Regions × indicators</h3>", _notes(tables, "region_indicator")]
    if frame is None or frame.empty:
        return "".join([*parts, '<p class="note">No statement names a region and links to an indicator.</p>'])
    per_region = frame.groupby(["region", "name", "level"], sort=False)["statements_rollup"].sum()
    top = per_region.sort_values(ascending=False, kind="mergesort").head(rows).reset_index()
    ids = list(dict.fromkeys(frame["indicator"]).keys())
    order = {i: k for k, i in enumerate(tables["indicator_summary"]["indicator"])}
    ids.sort(key=lambda i: (order.get(i, len(order)), i))
    cells = frame.pivot_table(
        index="region", columns="indicator", values="statements_rollup", aggfunc="sum", fill_value=0
    ).reindex(index=top["region"], columns=ids, fill_value=0)
    parts.append(
        svg.heatmap(
            [f"{r.name} ({r.level})" for r in top.itertuples()],
            ids,
            cells.to_numpy(dtype=float).tolist(),
            f"Region × indicator: statements naming the region (its cities included), top {len(top)} regions",
        )
    )
    pairs = frame.sort_values(
        ["statements_rollup", "score_sum_rollup", "region", "indicator"],
        ascending=[False, False, True, True],
        kind="mergesort",
    )
    cols = ["region", "name", "level", "indicator", "indicator_name", "statements", "statements_rollup",
            "score_sum_rollup", "documents_rollup"]  # fmt: skip
    parts.append(table(pairs, cols, limit=30, name="region_indicator"))
    return "".join(parts)


def _beside(tables: dict[str, pd.DataFrame]) -> str:
    parts = ['<section id="beside"><h2>Text beside numbers</h2>']
    parts += [_notes(tables, "beside"), _notes(tables, "beside_weights")]
    weights = tables.get("beside_weights")
    if weights is not None and not weights.empty:
        parts.append(
            svg.grouped_bars(
                [
                    (f"{r.indicator} {r.name}", float(r.text_share), float(r.entropy_weight))
                    for r in weights.itertuples()
                ],
                "Attention share in the texts beside entropy weight from the panel",
                ("text attention share", "entropy weight"),
            )
        )
        parts.append(table(weights, limit=60, name="beside_weights"))
    corr = tables.get("beside_correlation")
    if corr is not None and not corr.empty:
        parts.append("<h3>Region-year emphasis beside panel scores</h3>")
        parts.append(
            table(corr, ["text_year", "panel_year", "n", "spearman_rho", "p_value", "strength", "reading"])
        )
    parts.append("</section>")
    return "".join(parts)


def _inputs(tables: dict[str, pd.DataFrame]) -> str:
    return (
        '<section id="inputs"><h2>Inputs</h2>'
        + f"<h3>Skipped files ({len(tables['skipped'])})</h3>"
        + table(tables["skipped"], name="skipped")
        + f"<h3>Input warnings ({len(tables['issues'])})</h3>"
        + table(tables["issues"], limit=100, name="issues")
        + "</section>"
    )


_SECTIONS = {
    "overview": ("Overview", _overview),
    "documents": ("Documents", _documents),
    "regions": ("Regions", _regions),
    "coverage": ("Keywords", _coverage),
    "indicators": ("Indicators", _indicators),
    "beside": ("Text beside numbers", _beside),
    "inputs": ("Inputs", _inputs),
}


def render_html(
    tables: dict[str, pd.DataFrame],
    *,
    generated: str,
    title: str = "nqpf_text report",
    sections: Sequence[str] | None = None,
) -> str:
    """The report page as a string: every section, or only ``sections`` (keys of ``_SECTIONS``)."""
    from .. import __version__

    chosen = [k for k in _SECTIONS if sections is None or k in sections]
    nav = "".join(f'<a href="#{key}">{_SECTIONS[key][0]}</a>' for key in chosen)
    tables = _with_labels(tables)
    body = "".join(_SECTIONS[key][1](tables) for key in chosen)
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<header><h1>{_e(title)}</h1><p class="meta">nqpf_text {_e(__version__)} · generated '
        f"<time>{_e(generated)}</time></p></header>\n<nav>{nav}</nav>\n{body}\n</body>\n</html>\n"
    )
