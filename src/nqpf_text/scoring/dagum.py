"""Dagum (1997) Gini decomposition by groups, per time period, with optional bootstrap intervals.

With n units in k groups, mean μ, group sizes n_j, means μ_j, p_j = n_j/n, s_j = n_j μ_j/(n μ):
G = ΣΣ|y_i − y_r| / (2 n² μ); G_jj = ΣΣ|y_ji − y_jr| / (2 n_j² μ_j);
G_jh = ΣΣ|y_ji − y_hr| / (n_j n_h (μ_j + μ_h)); Gw = Σ G_jj p_j s_j;
for each pair ordered so that μ_j ≥ μ_h (the ordering Dagum requires), d_jh = ΣΣ(y_ji − y_hr)⁺/(n_j n_h),
p_jh = ΣΣ(y_hr − y_ji)⁺/(n_j n_h), D_jh = (d_jh − p_jh)/(d_jh + p_jh) (0 when both are 0);
Gnb = Σ G_jh (p_j s_h + p_h s_j) D_jh, Gt = Σ G_jh (p_j s_h + p_h s_j)(1 − D_jh).
G is built from the same pair sums, so G = Gw + Gnb + Gt holds to rounding.

Sums of absolute differences use sorting and cumulative sums (O(n log n)), never an n×n matrix,
and work on a leading batch axis so bootstrap replicates run vectorized.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError, NqpfWarning
from .panel import FilledCell, Panel, time_order

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DagumPeriod",
    "DagumResult",
    "abs_diff_sums",
    "dagum",
    "dagum_decompose",
    "pair_key",
    "within_abs_sum",
]


_BOOT_BATCH_VALUES = 1_000_000


def pair_key(a: str, b: str) -> str:
    return f"{a}|{b}"


# ----------------------------------------------------------------------------------------------- kernels
def within_abs_sum(a: np.ndarray) -> np.ndarray:
    """Σ_i Σ_r |a_i − a_r| over ordered pairs along the last axis (batched), via the sorted-rank identity."""
    s = np.sort(a, axis=-1)
    s = s - s[..., :1]  # translation-invariant; equal values give exactly 0 and less cancellation
    n = s.shape[-1]
    coef = 2.0 * np.arange(n) - n + 1.0
    return 2.0 * (s * coef).sum(axis=-1)


def abs_diff_sums(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Σ_i Σ_r (a_i − b_r)⁺ and Σ_i Σ_r (b_r − a_i)⁺ along the last axis (batched), by merge-sorting a and b.

    Ties contribute 0 to both, so their order in the sort does not matter.
    """
    nb = b.shape[-1]
    c = np.concatenate([a, b], axis=-1)
    base = c.min(axis=-1, keepdims=True)  # translation-invariant, as for within_abs_sum
    c = c - base
    b = b - base
    is_b = np.concatenate([np.zeros(a.shape), np.ones(b.shape)], axis=-1)
    order = np.argsort(c, axis=-1, kind="stable")
    cs = np.take_along_axis(c, order, axis=-1)
    ib = np.take_along_axis(is_b, order, axis=-1)
    count_b = np.cumsum(ib, axis=-1)  # b's at or before this position
    sum_b = np.cumsum(cs * ib, axis=-1)
    ia = 1.0 - ib
    total_b = b.sum(axis=-1, keepdims=True)
    pos = (ia * (cs * count_b - sum_b)).sum(axis=-1)
    neg = (ia * ((total_b - sum_b) - cs * (nb - count_b))).sum(axis=-1)
    return pos, neg


@dataclass(frozen=True)
class _Parts:
    """Decomposition of one sample (or a batch: every field then has a leading batch axis)."""

    G: Any
    Gw: Any
    Gnb: Any
    Gt: Any
    within: dict[str, Any]
    between: dict[str, Any]
    D: dict[str, Any]


def dagum_decompose(groups: Sequence[np.ndarray], names: Sequence[str]) -> _Parts:
    """Decompose the values of ``groups`` (arrays with a common leading batch shape). No validation."""
    sizes = np.array([g.shape[-1] for g in groups], dtype=float)
    n = sizes.sum()
    means = [g.mean(axis=-1) for g in groups]
    mu = sum(m * s for m, s in zip(means, sizes, strict=True)) / n
    p = sizes / n
    s = [sizes[j] * means[j] / (n * mu) for j in range(len(groups))]
    total = 0.0
    within, between, dd = {}, {}, {}
    Gw = 0.0
    for j, g in enumerate(groups):
        w_sum = within_abs_sum(g)
        total = total + w_sum
        gjj = np.divide(w_sum, 2.0 * sizes[j] ** 2 * means[j], out=np.zeros_like(w_sum), where=means[j] > 0)
        within[names[j]] = gjj
        Gw = Gw + gjj * p[j] * s[j]
    Gnb = Gt = 0.0
    for j, h in combinations(range(len(groups)), 2):
        pos, neg = abs_diff_sums(groups[j], groups[h])
        cross = pos + neg
        total = total + 2.0 * cross
        # Dagum orders each pair by mean: D is computed with the higher-mean group first.
        hi_first = means[j] >= means[h]
        d_hi = np.where(hi_first, pos, neg)
        d_lo = np.where(hi_first, neg, pos)
        D = np.divide(d_hi - d_lo, d_hi + d_lo, out=np.zeros_like(cross), where=(d_hi + d_lo) > 0)
        denom = sizes[j] * sizes[h] * (means[j] + means[h])
        gjh = np.divide(cross, denom, out=np.zeros_like(cross), where=denom > 0)
        weight = p[j] * s[h] + p[h] * s[j]
        key = pair_key(names[j], names[h])
        between[key], dd[key] = gjh, D
        Gnb = Gnb + gjh * weight * D
        Gt = Gt + gjh * weight * (1.0 - D)
    G = total / (2.0 * n * n * mu)
    return _Parts(G, Gw, Gnb, Gt, within, between, dd)


# ----------------------------------------------------------------------------------------------- results
def _f(x: Any) -> float:
    return float(x)


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole > 0 else 0.0


@dataclass(frozen=True)
class DagumPeriod:
    """One period's decomposition; ``ci`` maps each statistic to its bootstrap (low, high)."""

    time: str
    n: int
    G: float
    Gw: float
    Gnb: float
    Gt: float
    within: dict[str, float]
    between: dict[str, float]
    D: dict[str, float]
    means: dict[str, float]
    sizes: dict[str, int]
    ci: dict[str, Any] = field(default_factory=dict)

    @property
    def contrib(self) -> dict[str, float]:
        """Contribution shares in percent (0 when G = 0)."""
        return {"Gw": _pct(self.Gw, self.G), "Gnb": _pct(self.Gnb, self.G), "Gt": _pct(self.Gt, self.G)}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "time": self.time,
            "G": self.G,
            "Gw": self.Gw,
            "Gnb": self.Gnb,
            "Gt": self.Gt,
            "contrib": self.contrib,
            "within": dict(self.within),
            "between": dict(self.between),
            "D": dict(self.D),
            "means": dict(self.means),
            "n": self.n,
            "sizes": dict(self.sizes),
        }
        if self.ci:
            out["ci"] = self.ci
        return out


@dataclass(frozen=True)
class DagumResult:
    """All periods in time order; groups in order of first appearance in the panel."""

    periods: tuple[DagumPeriod, ...]
    groups: tuple[str, ...]
    bootstrap: dict[str, Any] = field(default_factory=dict)
    filled: tuple[FilledCell, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> list[dict[str, Any]]:
        """The contract's JSON array (one object per time)."""
        return [p.to_dict() for p in self.periods]

    def to_frame(self) -> pd.DataFrame:
        """One row per period: G, Gw, Gnb, Gt, contributions, within_<g>, between_<a|b> (and CI bounds)."""
        import pandas as pd

        rows = []
        for p in self.periods:
            row: dict[str, Any] = {"time": p.time, "n": p.n, "G": p.G, "Gw": p.Gw, "Gnb": p.Gnb, "Gt": p.Gt}
            row.update({f"contrib_{k}": v for k, v in p.contrib.items()})
            row.update({f"within_{k}": v for k, v in p.within.items()})
            row.update({f"between_{k}": v for k, v in p.between.items()})
            for stat, bounds in _flat_ci(p.ci).items():
                row[f"{stat}_lo"], row[f"{stat}_hi"] = bounds
            rows.append(row)
        return pd.DataFrame(rows)


def _flat_ci(ci: dict[str, Any]) -> dict[str, list[float]]:
    flat: dict[str, list[float]] = {}
    for key, value in ci.items():
        if isinstance(value, dict):
            flat.update({f"{key}_{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


# ----------------------------------------------------------------------------------------------- drivers
def _concat(chunks: list[_Parts]) -> _Parts:
    """Join batched decompositions along the replicate axis."""

    def join(values: list[Any]) -> np.ndarray:
        return np.concatenate([np.atleast_1d(v) for v in values])

    def join_dict(attr: str) -> dict[str, np.ndarray]:
        return {k: join([getattr(c, attr)[k] for c in chunks]) for k in getattr(chunks[0], attr)}

    scalars = [join([getattr(c, k) for c in chunks]) for k in ("G", "Gw", "Gnb", "Gt")]
    return _Parts(*scalars, join_dict("within"), join_dict("between"), join_dict("D"))


def _bootstrap_ci(
    groups: list[np.ndarray], names: list[str], reps: int, rng: np.random.Generator, level: float
) -> dict[str, Any]:
    """Percentile intervals from resampling units with replacement within each group.

    Replicates run in batches of about a million values: vectorized for small panels, bounded
    memory for large ones.
    """
    n = sum(len(g) for g in groups)
    batch = max(1, _BOOT_BATCH_VALUES // n)
    chunks = []
    for start in range(0, reps, batch):
        size = min(batch, reps - start)
        chunks.append(
            dagum_decompose([g[rng.integers(0, len(g), size=(size, len(g)))] for g in groups], names)
        )
    parts = _concat(chunks)
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2

    def bounds(x: np.ndarray) -> list[float]:
        lo, hi = np.quantile(np.asarray(x, dtype=float), [lo_q, hi_q])
        return [_f(lo), _f(hi)]

    G = np.asarray(parts.G, dtype=float)
    safe = np.where(G > 0, G, 1.0)
    ci: dict[str, Any] = {k: bounds(getattr(parts, k)) for k in ("G", "Gw", "Gnb", "Gt")}
    ci["contrib"] = {
        k: bounds(np.where(G > 0, 100.0 * getattr(parts, k) / safe, 0.0)) for k in ("Gw", "Gnb", "Gt")
    }
    ci["within"] = {k: bounds(v) for k, v in parts.within.items()}
    ci["between"] = {k: bounds(v) for k, v in parts.between.items()}
    return ci


def _period(
    time: str,
    values: np.ndarray,
    labels: np.ndarray,
    order: tuple[str, ...],
    source: str,
    boot: tuple[int, np.random.Generator, float] | None,
) -> DagumPeriod:
    names = [g for g in order if (labels == g).any()]
    groups = [values[labels == g] for g in names]
    if values.mean() <= 0:
        raise InputError(source, f"time {time}: the mean is 0, so the Gini coefficient is undefined")
    parts = dagum_decompose(groups, names)
    ci = _bootstrap_ci(groups, names, boot[0], boot[1], boot[2]) if boot else {}
    return DagumPeriod(
        time=time,
        n=len(values),
        G=_f(parts.G),
        Gw=_f(parts.Gw),
        Gnb=_f(parts.Gnb),
        Gt=_f(parts.Gt),
        within={k: _f(v) for k, v in parts.within.items()},
        between={k: _f(v) for k, v in parts.between.items()},
        D={k: _f(v) for k, v in parts.D.items()},
        means={g: _f(x.mean()) for g, x in zip(names, groups, strict=True)},
        sizes={g: len(x) for g, x in zip(names, groups, strict=True)},
        ci=ci,
    )


def dagum(
    panel: Panel,
    *,
    group: str,
    value: str | None = None,
    bootstrap: int = 0,
    seed: int | None = None,
    level: float = 0.95,
) -> DagumResult:
    """Dagum decomposition of ``value`` by ``group`` for each time period of ``panel``.

    Values must be non-negative. ``bootstrap`` > 0 adds percentile intervals from that many
    resamples (units drawn with replacement within each group), reproducible with ``seed``.
    """
    if group not in panel.extra:
        raise InputError(panel.source, f"group column {group!r} was not loaded (pass extra=[{group!r}])")
    column = value or panel.indicators[0]
    if column not in panel.indicators:
        raise InputError(panel.source, f"value column {column!r} not loaded")
    if bootstrap < 0 or not 0 < level < 1:
        raise InputError("bootstrap", f"needs bootstrap >= 0 and 0 < level < 1; got {bootstrap}, {level}")
    if bootstrap and seed is None:
        raise InputError("bootstrap", "an explicit seed is required with bootstrap > 0")
    y = panel.column(column)
    if (y < 0).any():
        i = int(np.flatnonzero(y < 0)[0])
        raise InputError(
            panel.source,
            f"negative value {float(y[i]):g} (unit {panel.unit[i]} time {panel.time[i]}); "
            "the Gini coefficient needs values >= 0",
            f"row {i + 2}, column {column}",
        )
    labels = panel.extra[group]
    order = tuple(dict.fromkeys(labels))
    rng = np.random.default_rng(seed) if bootstrap else None
    boot = (bootstrap, rng, level) if rng is not None else None
    periods = []
    notes = []
    for t in time_order(panel.time):
        rows = panel.time == t
        small = [g for g in order if (labels[rows] == g).sum() == 1]
        if small:
            notes.append(f"time {t}: group(s) {', '.join(small)} have one unit; their within-group Gini is 0")
        periods.append(_period(t, y[rows], labels[rows], order, panel.source, boot))
    for note in notes:
        warnings.warn(note, NqpfWarning, stacklevel=2)
    meta = {"reps": bootstrap, "seed": seed, "level": level} if bootstrap else {}
    return DagumResult(tuple(periods), order, meta, panel.filled, tuple(notes))
