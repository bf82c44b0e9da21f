"""``summary.md``: the headline numbers and readings, short enough to paste into a lab notebook.

No timestamp and no absolute paths, so two runs on the same input give the same bytes. Corpus text
is escaped for Markdown tables (``|``, line breaks) and for renderers that pass HTML through
(``<``, ``>``, ``&``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ._common import is_blank
from .html import _cell
from .regions import MACROS

__all__ = ["md_escape", "render_markdown"]


def md_escape(value: Any) -> str:
    """One table cell or list item of Markdown, inert whatever the corpus contains."""
    if is_blank(value):
        return ""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    text = text.replace("[", "\\[").replace("]", "\\]")  # no links or remote images: [x](javascript:…)
    return " ".join(text.split())


def _value(value: Any) -> str:
    text, numeric = _cell(value)
    if numeric:
        return text
    return md_escape(value if not isinstance(value, bool) else text)


def md_table(frame: pd.DataFrame, columns: Sequence[str], limit: int = 20) -> str:
    if frame is None or frame.empty:
        return "_(none)_\n"
    cols = [c for c in columns if c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for row in frame[cols].head(limit).itertuples(index=False):
        lines.append("| " + " | ".join(_value(v) for v in row) + " |")
    if len(frame) > limit:
        lines.append(f"\n_{len(frame) - limit} more rows in the CSV._")
    return "\n".join(lines) + "\n"


def _regions(tables: dict[str, pd.DataFrame]) -> list[str]:
    out = ["## Regional emphasis", ""]
    shares = tables["macro_shares"]
    overall = shares[shares["scope"] == "all"]
    if not overall.empty and overall["count_rollup"].sum() > 0:
        parts = [
            f"{md_escape(r.name)} {r.share:.0%}"
            for r in overall.set_index("macro").loc[list(MACROS)].itertuples()
        ]
        out.append("Share of attention by macro region (roll-up counts): " + ", ".join(parts) + ".")
        out.append("")
    rm = tables["region_mentions"]
    if not rm.empty:
        prov = (
            rm[rm["level"] == "province"]
            .groupby(["region", "name"], as_index=False)[["count", "count_rollup"]]
            .sum()
        )
        prov = prov.sort_values(["count_rollup", "region"], ascending=[False, True], kind="mergesort")
        out += ["Most mentioned provinces (count_rollup includes their cities):", ""]
        out.append(md_table(prov, ["region", "name", "count", "count_rollup"], limit=15))
    focal = tables["focal_regions"]
    if not focal.empty:
        everyone = focal[focal["scope"] == "(all)"]
        for level in ("province", "city"):
            sub = everyone[everyone["level"] == level]
            if not sub.empty:
                out += [
                    f"Top focal {'provinces' if level == 'province' else 'cities'} (documents about them):",
                    "",
                ]
                out.append(md_table(sub, ["region", "name", "documents", "share"], limit=10))
    return out


def _coverage(tables: dict[str, pd.DataFrame]) -> list[str]:
    cov = tables["keyword_coverage"]
    out = ["## Keyword coverage", ""]
    if not cov.empty:
        for lex in dict.fromkeys(cov["lexicon"]):
            sub = cov[(cov["lexicon"] == lex) & (cov["count"] > 0)]
            sub = sub.sort_values(["count", "term"], ascending=[False, True], kind="mergesort")
            out += [f"Top terms of lexicon `{md_escape(lex)}`:", ""]
            out.append(md_table(sub, ["id", "term", "count", "documents", "doc_share", "per_10k"], limit=10))
        never = int(((cov["kind"] == "term") & (cov["count"] == 0)).sum())
        out.append(f"{never} of {int((cov['kind'] == 'term').sum())} lexicon terms never occur.")
    dead = tables["dead_entries"]
    line = f"{len(dead)} entries are dead (none of their terms occurs)"
    if not dead.empty:
        line += ": " + "、".join(md_escape(f"{r.id} {r.name}") for r in dead.head(30).itertuples())
        line += f" … and {len(dead) - 30} more (tables/dead_entries.csv)" if len(dead) > 30 else ""
    out.append(line + ".")
    out += ["", "Candidate terms not in any lexicon (check before adding):", ""]
    out.append(
        md_table(tables["candidate_terms"], ["term", "count", "documents", "relation", "near"], limit=20)
    )
    return out


def _indicators(tables: dict[str, pd.DataFrame]) -> list[str]:
    summary = tables["indicator_summary"]
    out = ["## Indicator mapping", ""]
    if summary.empty:
        return [*out, "_(no framework)_", ""]
    out.append(
        md_table(
            summary, ["indicator", "name", "statements", "documents", "attention_share", "top_evidence"], 60
        )
    )
    missing = summary[~summary["addressed"]]
    out.append(
        "Never addressed: "
        + ("、".join(md_escape(f"{r.indicator} {r.name}") for r in missing.itertuples()) or "none")
        + "."
    )
    return [*out, "", _region_indicator(tables.get("region_indicator")), ""]


def _region_indicator(frame: pd.DataFrame | None, top: int = 5) -> str:
    """One line: the region–indicator pairs with most statements (cities counted toward provinces)."""
    if frame is None or frame.empty:
        return "Region × indicator: no statement names a region and links to an indicator."
    best = frame[frame["level"].isin(["province", "city"])].sort_values(
        ["statements_rollup", "score_sum_rollup", "region", "indicator"],
        ascending=[False, False, True, True],
        kind="mergesort",
    )
    pairs = "; ".join(
        f"{md_escape(r.name)} × {md_escape(r.indicator)} {md_escape(r.indicator_name)} ({r.statements_rollup})"
        for r in best.head(top).itertuples()
    )
    return (
        f"Region × indicator: {len(frame)} region–indicator pairs (tables/region_indicator.csv); "
        f"most statements: {pairs or 'none at province or city level'}."
    )


def _beside(tables: dict[str, pd.DataFrame]) -> list[str]:
    out = ["## Text beside numbers", ""]
    notes = tables["notes"]
    for r in notes[notes["section"].str.startswith("beside")].itertuples():
        out.append(f"- {md_escape(r.note)}")
    return [*out, ""]


def _inputs(tables: dict[str, pd.DataFrame]) -> list[str]:
    skipped = tables["skipped"]
    lines = ["## Inputs", "", f"Skipped files: {len(skipped)}.", ""]
    if not skipped.empty:
        lines.append(md_table(skipped, ["file", "reason"], limit=50))
    return [*lines, f"Input warnings: {len(tables['issues'])} (see tables/issues.csv).", ""]


_SECTIONS = {
    "regions": _regions,
    "coverage": _coverage,
    "indicators": _indicators,
    "beside": _beside,
    "inputs": _inputs,
}


def render_markdown(
    tables: dict[str, pd.DataFrame], files: Sequence[str] = (), sections: Sequence[str] | None = None
) -> str:
    """The summary as Markdown; ``files`` are output paths relative to the output folder."""
    lines = ["# nqpf_text summary", "", md_table(tables["overview"], ["metric", "value"], limit=50)]
    for key, section in _SECTIONS.items():
        if sections is None or key in sections:
            lines += section(tables)
    if files:
        lines += ["## Outputs", ""] + [f"- `{md_escape(f)}`" for f in files] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"
