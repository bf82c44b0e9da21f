"""Entropy weights and entropy-TOPSIS, the seed paper's recipe with its choices stated.

Per block of rows standardized together (all rows when pooled, one time period with ``by_time``):
min-max (reversed for "-" indicators) → v; p = (v + shift) / Σ(v + shift); e_j = −(1/ln m) Σ p ln p
with m the number of rows in the block and 0·ln 0 = 0; d_j = 1 − e_j; w_j = d_j / Σ d;
z = w·v; ideal and anti-ideal are the column max and min of z within the block; Euclidean D+ and D−;
C = D− / (D+ + D−). A constant column gets e = 1, d = 0, weight 0 and a warning. Ranks are by C
descending within each time period; equal scores (to 12 decimals) share the best rank (1, 2, 2, 4).
Sub-indices of a dimension use the same v and the divergences of its indicators renormalized to sum
to 1, which equals rerunning the method on those columns alone.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError, NqpfWarning
from .framework import Dimension, Framework, load_framework
from .panel import FilledCell, Panel, time_order

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DimensionScores",
    "EntropyResult",
    "EntropyStep",
    "TopsisResult",
    "entropy_only",
    "entropy_topsis",
    "entropy_weights",
    "rank_within",
    "standardize",
    "topsis",
]

DEFAULT_SHIFT = 1e-4
_TIE_DECIMALS = 12


# ----------------------------------------------------------------------------------------------- kernels
@dataclass(frozen=True, eq=False)
class EntropyStep:
    """Kernel output for one block: standardized matrix (no shift) and the per-column statistics."""

    standardized: np.ndarray
    entropy: np.ndarray
    divergence: np.ndarray
    weights: np.ndarray
    constant: np.ndarray


def standardize(x: np.ndarray, benefit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Min-max to [0, 1], reversed where ``benefit`` is False; constant columns become 0."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = hi - lo
    constant = span == 0
    safe = np.where(constant, 1.0, span)
    v = x - lo
    cost = ~np.asarray(benefit, dtype=bool)
    if cost.any():
        v[:, cost] = hi[cost] - x[:, cost]
    v /= safe
    v[:, constant] = 0.0
    return v, constant


def entropy_weights(x: np.ndarray, benefit: np.ndarray, *, shift: float = DEFAULT_SHIFT) -> EntropyStep:
    """Entropy, divergence and weights of the columns of ``x`` (rows standardized together). No validation."""
    m = x.shape[0]
    v, constant = standardize(x, benefit)
    p = v + shift
    total = p.sum(axis=0)
    p /= np.where(total > 0, total, 1.0)
    plogp = np.log(p, out=np.zeros_like(p), where=p > 0)  # 0·ln 0 = 0
    plogp *= p
    e = -plogp.sum(axis=0) / np.log(m)
    del p, plogp
    e[constant] = 1.0
    d = np.clip(1.0 - e, 0.0, None)
    d[constant] = 0.0
    total_d = d.sum()
    w = d / total_d if total_d > 0 else np.zeros_like(d)
    return EntropyStep(v, e, d, w, constant)


def topsis(v: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """D+, D− and closeness C of each row of the weighted matrix w·v (ideal = column max, anti = min)."""
    z = v * w
    gap = z - z.max(axis=0)
    d_plus = np.sqrt(np.einsum("ij,ij->i", gap, gap))
    np.subtract(z, z.min(axis=0), out=gap)
    d_minus = np.sqrt(np.einsum("ij,ij->i", gap, gap))
    total = d_plus + d_minus
    c = np.divide(d_minus, total, out=np.zeros_like(total), where=total > 0)
    return d_plus, d_minus, c


def group_rows(labels: np.ndarray) -> dict[str, np.ndarray]:
    """Row indices of each distinct label (one sort instead of a comparison pass per label)."""
    values, codes = np.unique(np.asarray(labels, dtype=str), return_inverse=True)
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes, minlength=len(values)))[:-1]
    return dict(zip(values.tolist(), np.split(order, bounds), strict=True))


def rank_within(scores: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Competition ranks (1 = highest) within each group, and whether each row shares its rank."""
    ranks = np.zeros(len(scores), dtype=int)
    tied = np.zeros(len(scores), dtype=bool)
    rounded = np.round(scores, _TIE_DECIMALS)
    for rows in group_rows(groups).values():
        order = np.argsort(-rounded[rows], kind="stable")
        s = rounded[rows][order]
        new = np.r_[True, s[1:] != s[:-1]]
        r = np.maximum.accumulate(np.where(new, np.arange(1, len(s) + 1), 0))
        ranks[rows[order]] = r
        counts = np.bincount(r, minlength=len(s) + 1)
        tied[rows[order]] = counts[r] > 1
    return ranks, tied


# ----------------------------------------------------------------------------------------------- results
def _f(x: Any) -> float:
    return float(x)


def _score_rows(
    unit: np.ndarray,
    time: np.ndarray,
    d_plus: np.ndarray,
    d_minus: np.ndarray,
    score: np.ndarray,
    rank: np.ndarray,
    tied: np.ndarray,
) -> list[dict[str, Any]]:
    return [
        {
            "unit": str(u),
            "time": str(t),
            "d_plus": _f(dp),
            "d_minus": _f(dm),
            "score": _f(c),
            "rank": int(r),
            "tied": bool(ti),
        }
        for u, t, dp, dm, c, r, ti in zip(unit, time, d_plus, d_minus, score, rank, tied, strict=True)
    ]


@dataclass(frozen=True, eq=False)
class EntropyResult:
    """Entropy statistics per block; ``blocks`` is ``("all",)`` when pooled, else the times in order."""

    indicators: tuple[str, ...]
    directions: tuple[str, ...]
    shift: float
    by_time: bool
    blocks: tuple[str, ...]
    m: tuple[int, ...]
    entropy: np.ndarray  # blocks × indicators
    divergence: np.ndarray
    weights: np.ndarray
    constant: np.ndarray
    warnings: tuple[str, ...] = ()

    def weights_dict(self) -> dict[str, float]:
        """Pooled weights; with ``by_time`` the mean over periods (still summing to 1)."""
        return {k: _f(x) for k, x in zip(self.indicators, self.weights.mean(axis=0), strict=True)}

    def entropy_dict(self) -> dict[str, float]:
        return {k: _f(x) for k, x in zip(self.indicators, self.entropy.mean(axis=0), strict=True)}

    def to_frame(self) -> pd.DataFrame:
        """One row per block and indicator."""
        import pandas as pd

        rows = [
            {
                "time": b,
                "indicator": k,
                "direction": self.directions[j],
                "m": self.m[i],
                "entropy": self.entropy[i, j],
                "divergence": self.divergence[i, j],
                "weight": self.weights[i, j],
                "constant": bool(self.constant[i, j]),
            }
            for i, b in enumerate(self.blocks)
            for j, k in enumerate(self.indicators)
        ]
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "weights": self.weights_dict(),
            "entropy": self.entropy_dict(),
            "divergence": {
                k: _f(x) for k, x in zip(self.indicators, self.divergence.mean(axis=0), strict=True)
            },
            "directions": dict(zip(self.indicators, self.directions, strict=True)),
            "method": {
                "standardization": "by_time" if self.by_time else "pooled",
                "shift": self.shift,
                "m": self.m[0] if not self.by_time else dict(zip(self.blocks, self.m, strict=True)),
            },
        }
        if self.by_time:
            out["by_time"] = {
                b: {
                    "weights": {k: _f(x) for k, x in zip(self.indicators, self.weights[i], strict=True)},
                    "entropy": {k: _f(x) for k, x in zip(self.indicators, self.entropy[i], strict=True)},
                }
                for i, b in enumerate(self.blocks)
            }
        return out


@dataclass(frozen=True, eq=False)
class DimensionScores:
    """A first/second-level sub-index: TOPSIS on the dimension's indicators with renormalized weights."""

    dimension: Dimension
    indicators: tuple[str, ...]
    weight: float  # share of the overall weight (mean over blocks with by_time)
    inner_weights: np.ndarray  # blocks × len(indicators)
    d_plus: np.ndarray
    d_minus: np.ndarray
    score: np.ndarray
    rank: np.ndarray
    tied: np.ndarray


@dataclass(frozen=True, eq=False)
class TopsisResult:
    """Scores for every row (input order), the entropy statistics and the sub-indices."""

    entropy: EntropyResult
    unit: np.ndarray
    time: np.ndarray
    d_plus: np.ndarray
    d_minus: np.ndarray
    score: np.ndarray
    rank: np.ndarray
    tied: np.ndarray
    dimensions: tuple[DimensionScores, ...] = ()
    filled: tuple[FilledCell, ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.entropy.warnings

    def to_frame(self) -> pd.DataFrame:
        """Scores, one row per unit-time, with ``score_<dimension>`` columns for the sub-indices."""
        import pandas as pd

        frame = pd.DataFrame(
            _score_rows(self.unit, self.time, self.d_plus, self.d_minus, self.score, self.rank, self.tied)
        )
        for dim in self.dimensions:
            frame[f"score_{dim.dimension.id}"] = dim.score
        return frame

    def dimensions_frame(self) -> pd.DataFrame:
        import pandas as pd

        parts = []
        for dim in self.dimensions:
            part = pd.DataFrame(
                _score_rows(self.unit, self.time, dim.d_plus, dim.d_minus, dim.score, dim.rank, dim.tied)
            )
            part.insert(0, "dimension", dim.dimension.id)
            parts.append(part)
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def to_dict(self) -> dict[str, Any]:
        ent = self.entropy.to_dict()
        out: dict[str, Any] = {
            "weights": ent.pop("weights"),
            "entropy": ent.pop("entropy"),
            "scores": _score_rows(
                self.unit, self.time, self.d_plus, self.d_minus, self.score, self.rank, self.tied
            ),
            "dimensions": {dim.dimension.id: self._dimension_dict(dim) for dim in self.dimensions},
        }
        out.update(ent)
        if self.filled:
            out["imputed"] = [vars(c) for c in self.filled]
        return out

    def _dimension_dict(self, dim: DimensionScores) -> dict[str, Any]:
        d = dim.dimension
        return {
            "name": d.name,
            "level": d.level,
            "parent": d.parent,
            "indicators": list(dim.indicators),
            "weight": dim.weight,
            "weights": {
                k: _f(x) for k, x in zip(dim.indicators, dim.inner_weights.mean(axis=0), strict=True)
            },
            "scores": _score_rows(
                self.unit, self.time, dim.d_plus, dim.d_minus, dim.score, dim.rank, dim.tied
            ),
        }


# ----------------------------------------------------------------------------------------------- drivers
def _resolve(
    panel: Panel, directions: Mapping[str, str] | None, framework: Framework | str | Path | None
) -> tuple[dict[str, str], tuple[Dimension, ...]]:
    fw = framework if isinstance(framework, Framework) or framework is None else load_framework(framework)
    dirs: dict[str, str] = dict(fw.directions) if fw else {}
    dirs.update(directions or {})
    missing = [k for k in panel.indicators if k not in dirs]
    if missing:
        raise InputError(panel.source, f"no direction for indicator column(s): {', '.join(missing)}")
    bad = {k: v for k, v in dirs.items() if v not in ("+", "-")}
    if bad:
        raise InputError("directions", f'direction must be "+" or "-"; got {bad}')
    return dirs, (fw.dimensions if fw else ())


def _blocks(panel: Panel, by_time: bool) -> list[tuple[str, np.ndarray]]:
    if not by_time:
        return [("all", np.arange(len(panel)))]
    rows_of = group_rows(panel.time)
    blocks = [(t, rows_of[t]) for t in time_order(panel.time)]
    for t, rows in blocks:
        if len(rows) < 2:
            raise InputError(
                panel.source, f"time {t!r} has {len(rows)} row; by-time standardization needs at least 2"
            )
    return blocks


def _check_shift(shift: float) -> None:
    if not np.isfinite(shift) or shift < 0:
        raise InputError("shift", f"must be a finite number >= 0; got {shift!r}")


def _entropy(panel: Panel, dirs: dict[str, str], shift: float, by_time: bool) -> tuple[EntropyResult, list]:
    _check_shift(shift)
    if len(panel) < 2:
        raise InputError(panel.source, f"needs at least 2 rows; got {len(panel)}")
    benefit = np.array([dirs[k] == "+" for k in panel.indicators])
    blocks = _blocks(panel, by_time)
    steps = [entropy_weights(panel.values[rows], benefit, shift=shift) for _, rows in blocks]
    notes: list[str] = []
    for (label, rows), step in zip(blocks, steps, strict=True):
        where = f"time {label}" if by_time else f"all {len(rows)} rows"
        if step.constant.all():
            raise InputError(
                panel.source, f"every indicator is constant ({where}); no weights can be computed"
            )
        for j in np.flatnonzero(step.constant):
            notes.append(f"{panel.source}: indicator {panel.indicators[j]} is constant ({where}); weight 0")
    for note in notes:
        warnings.warn(note, NqpfWarning, stacklevel=3)
    result = EntropyResult(
        indicators=panel.indicators,
        directions=tuple(dirs[k] for k in panel.indicators),
        shift=float(shift),
        by_time=by_time,
        blocks=tuple(b for b, _ in blocks),
        m=tuple(len(r) for _, r in blocks),
        entropy=np.vstack([s.entropy for s in steps]),
        divergence=np.vstack([s.divergence for s in steps]),
        weights=np.vstack([s.weights for s in steps]),
        constant=np.vstack([s.constant for s in steps]),
        warnings=tuple(notes),
    )
    return result, list(zip(blocks, steps, strict=True))


def entropy_only(
    panel: Panel,
    directions: Mapping[str, str] | None = None,
    *,
    framework: Framework | str | Path | None = None,
    shift: float = DEFAULT_SHIFT,
    by_time: bool = False,
) -> EntropyResult:
    """Entropy weights alone (the 2012–2022 report's table), pooled or per period."""
    dirs, _ = _resolve(panel, directions, framework)
    return _entropy(panel, dirs, shift, by_time)[0]


def _closeness(
    blocks: list, n: int, cols: np.ndarray, weight_of: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    d_plus, d_minus, score = np.zeros(n), np.zeros(n), np.zeros(n)
    inner = []
    for (_, rows), step in blocks:
        w = weight_of(step)
        inner.append(w)
        dp, dm, c = topsis(step.standardized[:, cols], w)
        d_plus[rows], d_minus[rows], score[rows] = dp, dm, c
    return d_plus, d_minus, score, np.vstack(inner)


def _dimension_scores(
    panel: Panel, dims: Sequence[Dimension], blocks: list, result: EntropyResult
) -> tuple[DimensionScores, ...]:
    out = []
    for dim in dims:
        cols = np.array(
            [panel.indicators.index(k) for k in dim.indicators if k in panel.indicators], dtype=int
        )
        if not len(cols):
            continue
        if any(step.divergence[cols].sum() == 0 for _, step in blocks):
            warnings.warn(
                f"dimension {dim.id}: all its indicators are constant; no sub-index",
                NqpfWarning,
                stacklevel=3,
            )
            continue
        dp, dm, c, inner = _closeness(
            blocks,
            len(panel),
            cols,
            lambda step, cols=cols: step.divergence[cols] / step.divergence[cols].sum(),
        )
        rank, tied = rank_within(c, panel.time)
        share = float(result.weights[:, cols].sum(axis=1).mean())
        names = tuple(panel.indicators[j] for j in cols)
        out.append(DimensionScores(dim, names, share, inner, dp, dm, c, rank, tied))
    return tuple(out)


def entropy_topsis(
    panel: Panel,
    directions: Mapping[str, str] | None = None,
    *,
    framework: Framework | str | Path | None = None,
    shift: float = DEFAULT_SHIFT,
    by_time: bool = False,
) -> TopsisResult:
    """Entropy-weighted TOPSIS for every row, plus sub-indices when the framework has levels.

    ``directions`` (id → "+"/"-") overrides the framework's; ``shift`` is the constant added before
    the logarithm (0 means 0·ln 0 = 0); ``by_time`` standardizes and weights each period apart.
    """
    dirs, dims = _resolve(panel, directions, framework)
    result, blocks = _entropy(panel, dirs, shift, by_time)
    all_cols = np.arange(len(panel.indicators))
    dp, dm, c, _ = _closeness(blocks, len(panel), all_cols, lambda step: step.weights)
    rank, tied = rank_within(c, panel.time)
    return TopsisResult(
        entropy=result,
        unit=panel.unit,
        time=panel.time,
        d_plus=dp,
        d_minus=dm,
        score=c,
        rank=rank,
        tied=tied,
        dimensions=_dimension_scores(panel, dims, blocks, result),
        filled=panel.filled,
    )
