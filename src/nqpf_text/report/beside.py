"""Text beside numbers: what the corpus stresses next to what a statistical panel says.

Two comparisons, each with a plain-language reading:
- the corpus's attention share per framework indicator beside the entropy weights the scoring engine
  computes from the panel's indicator columns (needs ``nqpf_text.scoring`` and ≥ 2 indicator columns);
- region-year text emphasis (province roll-up mentions per 10,000 characters) beside the panel's
  scores — the entropy-TOPSIS closeness computed here, or a ready score column such as ``nqpf`` —
  as a Spearman rank correlation per text year. When the panel has no row for a text year, the
  nearest panel year stands in (the earlier one on a tie), and the table says which.

Anything missing (no panel, no scoring engine, no usable column) skips that part with a note
instead of failing the whole report.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._common import attr
from .regions import RegionCatalog

__all__ = ["beside_numbers", "spearman", "strength"]

_TIME_NAMES = ("year", "time", "年份", "年度", "年", "period", "date")
_SCORE_NAMES = ("score", "nqpf", "nqpf_score", "closeness", "c", "topsis", "得分", "综合得分", "指数")
Note = tuple[str, str]


def spearman(x: Any, y: Any) -> tuple[float, float]:
    """Spearman's ρ and its two-sided p-value; NaN when either side is constant or n < 3."""
    from scipy.stats import spearmanr

    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(a) < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return math.nan, math.nan
    res = spearmanr(a, b)
    return float(res.statistic), float(res.pvalue)


def strength(rho: float) -> str:
    """Words for the size of a rank correlation (rules of thumb, stated in the report)."""
    if math.isnan(rho):
        return "undefined"
    size = abs(rho)
    word = "no" if size < 0.1 else "weak" if size < 0.3 else "moderate" if size < 0.5 else "strong"
    if word == "no":
        return "no"
    return f"{word} {'positive' if rho > 0 else 'negative'}"


def _read(panel: Any) -> tuple[pd.DataFrame, str]:
    """A panel given as a path, DataFrame or scoring ``Panel``, as a DataFrame and a display name."""
    if isinstance(panel, pd.DataFrame):
        return panel.copy(), "<DataFrame>"
    if hasattr(panel, "to_frame") and hasattr(panel, "indicators"):
        frame = panel.to_frame()
        return frame, str(getattr(panel, "source", "<panel>"))
    path = Path(panel)
    try:
        from ..scoring import read_table

        frame, name = read_table(path)
        return frame, Path(name).name
    except ImportError:
        return pd.read_csv(path, encoding="utf-8-sig"), path.name


def _unit_column(frame: pd.DataFrame, catalog: RegionCatalog, given: str | None) -> str | None:
    if given:
        return given if given in frame else None
    best, best_share = None, 0.0
    for col in frame.columns:
        values = frame[col].astype(str)
        share = float(values.map(lambda v: catalog.lookup(v) is not None).mean()) if len(values) else 0.0
        if share > best_share:
            best, best_share = str(col), share
    return best if best_share >= 0.5 else None


def _time_column(frame: pd.DataFrame, given: str | None) -> str | None:
    if given:
        return given if given in frame else None
    lower = {str(c).strip().lower(): str(c) for c in frame.columns}
    return next((lower[n] for n in _TIME_NAMES if n in lower), None)


def _numeric(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.astype(str).str.replace(",", "", regex=False).str.strip(), errors="coerce")


def _directions(framework: Any, ids: list[str]) -> dict[str, str]:
    out = {}
    for ind in attr(framework, "indicators", ()) or ():
        iid = str(attr(ind, "id"))
        if iid in ids:
            raw = str(attr(ind, "direction") or "+").strip()
            out[iid] = "-" if raw in ("-", "−", "–", "negative", "cost", "负", "逆") else "+"
    return out


def _entropy(frame: pd.DataFrame, unit: str, time: str | None, ids: list[str], framework: Any, notes: list):
    """Entropy weights and TOPSIS scores from the scoring engine, or (None, None) with a note."""
    try:
        from ..scoring import entropy_topsis, load_panel
    except ImportError:
        notes.append(
            ("beside", "The scoring engine (nqpf_text.scoring) is not installed; entropy weights skipped.")
        )
        return None, None
    from ..errors import NqpfError

    try:
        panel = load_panel(frame, unit=unit, time=time, indicators=ids)
        result = entropy_topsis(panel, _directions(framework, ids))
    except (NqpfError, ValueError) as exc:
        notes.append(("beside", f"The scoring engine could not weight the panel: {exc}"))
        return None, None
    weights = result.entropy.weights_dict()
    scores = result.to_frame()[["unit", "time", "score"]]
    return weights, scores


def _weights_table(weights: dict[str, float], summary: pd.DataFrame) -> tuple[pd.DataFrame, list[Note]]:
    table = summary[summary["indicator"].isin(list(weights))][["indicator", "name", "attention_share"]].copy()
    table = table.rename(columns={"attention_share": "text_share"})
    table["entropy_weight"] = table["indicator"].map(weights).round(4)
    table["text_rank"] = table["text_share"].rank(ascending=False, method="min").astype(int)
    table["weight_rank"] = table["entropy_weight"].rank(ascending=False, method="min").astype(int)
    table["gap"] = (table["text_share"] - table["entropy_weight"]).round(4)
    table = table.reset_index(drop=True)
    rho, p = spearman(table["text_share"], table["entropy_weight"])
    over = table.sort_values(["gap", "indicator"], ascending=[False, True]).head(3)
    under = table.sort_values(["gap", "indicator"], ascending=[True, True]).head(3)
    rho_text = "undefined" if math.isnan(rho) else f"{rho:.2f} (p = {p:.3f}, n = {len(table)})"
    reading = (
        f"Across {len(table)} indicators, the rank correlation between the corpus's attention share and the "
        f"entropy weight is ρ = {rho_text}: {strength(rho)} agreement. The texts stress "
        + "、".join(f"{r.indicator} {r.name}" for r in over.itertuples())
        + " more than the panel's weights do, and "
        + "、".join(f"{r.indicator} {r.name}" for r in under.itertuples())
        + " less. Entropy weights reward indicators that vary a lot between units, not importance, so a gap "
        "says the discourse and the data's spread point at different things, not that either is wrong."
    )
    return table, [("beside_weights", reading)]


def _direction(rho: float, p: float) -> str:
    """What a rank correlation says in words, hedged when it is not significant at 5%."""
    if math.isnan(rho) or abs(rho) < 0.1:
        return "text attention does not follow the panel's ranking."
    if math.isnan(p) or p >= 0.05:
        return "with this many provinces it cannot be told apart from no association (p ≥ 0.05)."
    more = "more" if rho > 0 else "less"
    return f"provinces the panel scores higher get {more} attention in the texts."


def _pick_panel_year(text_year: int, panel_years: list[int]) -> int | None:
    """The panel year nearest to the text year (the earlier one on a tie)."""
    if not panel_years:
        return None
    return min(panel_years, key=lambda y: (abs(y - text_year), y))


def _regions_tables(
    scores: pd.DataFrame, region_panel: pd.DataFrame, catalog: RegionCatalog, score_label: str
) -> tuple[pd.DataFrame, pd.DataFrame, list[Note]]:
    scores = scores.assign(region=scores["unit"].map(catalog.lookup), year=_numeric(scores["time"]))
    scores = scores.dropna(subset=["region", "year", "score"])
    scores = scores[scores["region"].map(lambda r: catalog.get(r).level == "province")]
    scores = scores.groupby(["region", "year"], as_index=False)["score"].mean()
    text = region_panel[region_panel["level"] == "province"]
    year_docs = text.groupby("year")["year_documents"].max().to_dict() if not text.empty else {}
    panel_years = sorted(int(y) for y in scores["year"].unique())
    pairs, corr, notes = [], [], []
    for text_year in sorted(text["year"].unique()):
        panel_year = _pick_panel_year(int(text_year), panel_years)
        if panel_year is None:
            continue
        t = text[text["year"] == text_year][["region", "name", "per_10k_rollup"]]
        s = scores[scores["year"] == panel_year][["region", "score"]]
        both = t.merge(s, on="region", how="inner").sort_values("region", kind="mergesort")
        both["text_rank"] = both["per_10k_rollup"].rank(ascending=False, method="min").astype(int)
        both["panel_rank"] = both["score"].rank(ascending=False, method="min").astype(int)
        both.insert(0, "text_year", int(text_year))
        both.insert(1, "panel_year", panel_year)
        pairs.append(both)
        rho, p = spearman(both["per_10k_rollup"], both["score"])
        n_texts = int(year_docs.get(text_year, 0))
        lag = "the same year" if panel_year == text_year else f"panel year {panel_year}"
        head = f"{int(text_year)} texts ({n_texts} documents) vs {lag} ({len(both)} provinces): "
        if both["per_10k_rollup"].nunique() <= 1:
            reading = (
                head + "the texts name none of these provinces (or all equally), so there is nothing to rank."
            )
        else:
            reading = (
                head
                + (
                    "ρ undefined (the panel does not vary)"
                    if math.isnan(rho)
                    else f"ρ = {rho:.2f}, p = {p:.3f}"
                )
                + f" — {strength(rho)} association; "
                + _direction(rho, p)
            )
        corr.append(
            {
                "text_year": int(text_year),
                "text_documents": n_texts,
                "panel_year": panel_year,
                "n": len(both),
                "spearman_rho": None if math.isnan(rho) else round(rho, 4),
                "p_value": None if math.isnan(p) else round(p, 4),
                "strength": strength(rho),
                "reading": reading,
            }
        )
        notes.append(("beside_regions", reading))
    columns = [
        "text_year",
        "panel_year",
        "region",
        "name",
        "per_10k_rollup",
        "text_rank",
        "score",
        "panel_rank",
    ]
    pair_frame = pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(columns=columns)
    pair_frame = pair_frame.rename(columns={"per_10k_rollup": "text_per_10k", "score": score_label})
    corr_frame = pd.DataFrame(
        corr,
        columns=[
            "text_year",
            "text_documents",
            "panel_year",
            "n",
            "spearman_rho",
            "p_value",
            "strength",
            "reading",
        ],
    )
    if not pairs:
        notes.append(("beside_regions", "No dated texts and panel years to compare province by province."))
    return pair_frame, corr_frame, notes


def _score_column(frame: pd.DataFrame, skip: set[str], given: str | None) -> str | None:
    if given:
        return given if given in frame else None
    lower = {str(c).strip().lower(): str(c) for c in frame.columns if str(c) not in skip}
    named = next((lower[n] for n in _SCORE_NAMES if n in lower), None)
    if named:
        return named
    numeric = [c for c in frame.columns if str(c) not in skip and _numeric(frame[c]).notna().mean() > 0.9]
    return str(numeric[0]) if len(numeric) == 1 else None


def beside_numbers(
    panel: Any,
    *,
    framework: Any,
    summary: pd.DataFrame,
    region_panel: pd.DataFrame,
    catalog: RegionCatalog,
    unit: str | None = None,
    time: str | None = None,
    score: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[str, pd.DataFrame], list[Note]]:
    """Tables ``beside_weights``, ``beside_regions``, ``beside_correlation`` and their readings."""
    if panel is None:
        return {}, [
            ("beside", "No panel was given (--panel PANEL.csv), so the text-beside-numbers part is skipped.")
        ]
    frame, name = _read(panel)
    unit_col = _unit_column(frame, catalog, unit)
    if unit_col is None:
        return {}, [
            ("beside", f"Panel {name}: no column of province or city names/codes was found; skipped.")
        ]
    time_col = _time_column(frame, time)
    ids = [str(attr(i, "id")) for i in attr(framework, "indicators", ()) or ()]
    present = [c for c in frame.columns if str(c) in ids]
    tables: dict[str, pd.DataFrame] = {}
    notes: list[Note] = [("beside", f"Panel {name}: unit column {unit_col!r}, time column {time_col!r}.")]
    scores = None
    if len(present) >= 2:
        weights, scores = _entropy(frame, unit_col, time_col, present, framework, notes)
        if weights is not None:
            table, readings = _weights_table(weights, summary)
            tables["beside_weights"] = table
            notes += readings
        score_label = "topsis_score"
    else:
        notes.append(
            ("beside", f"Panel {name} has no {attr(framework, 'name', 'framework')} indicator columns; "
             "entropy weights are not computed and attention shares stand alone.")
        )  # fmt: skip
    if scores is None:
        col = _score_column(frame, {unit_col, *([time_col] if time_col else []), *present}, score)
        if col is None:
            notes.append(("beside", f"Panel {name}: no score column to compare regions with; skipped."))
            return tables, notes
        scores = pd.DataFrame(
            {
                "unit": frame[unit_col].astype(str),
                "time": frame[time_col].astype(str) if time_col else "all",
                "score": _numeric(frame[col]),
            }
        )
        score_label = f"panel_{col}"
    pair_frame, corr_frame, region_notes = _regions_tables(scores, region_panel, catalog, score_label)
    tables["beside_regions"] = pair_frame
    tables["beside_correlation"] = corr_frame
    return tables, notes + region_notes
