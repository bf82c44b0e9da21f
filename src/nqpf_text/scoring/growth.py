"""Growth and regional summaries laid out like the seed paper's Table 2.

Average annual growth rate (年均增长率) = (y_last / y_first)^(1/span) − 1, where span is the number of
years between the first and last period when times are numbers, else the number of periods − 1.
Group and national rows are plain means of the units in each period, and their growth rate is
computed from those means (which is what reproduces the paper's 均值 rows). The panel must be
balanced (every unit in every period), so means compare like with like.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError, NqpfWarning
from .panel import FilledCell, Panel, time_order

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GrowthResult", "SeriesGrowth", "annual_growth", "growth"]


def annual_growth(first: float, last: float, span: float) -> float | None:
    """Compound average annual growth; None when it is undefined (first value <= 0 or span <= 0)."""
    if first <= 0 or last < 0 or span <= 0:
        return None
    return float((last / first) ** (1.0 / span) - 1.0)


@dataclass(frozen=True)
class SeriesGrowth:
    """One row of the table: a unit, a group mean or the national mean."""

    level: str  # "unit", "group" or "national"
    name: str
    group: str | None
    n: int
    values: tuple[float, ...]
    cagr: float | None

    def to_dict(self, times: tuple[str, ...]) -> dict[str, Any]:
        return {
            "name": self.name,
            "group": self.group,
            "n": self.n,
            "values": dict(zip(times, self.values, strict=True)),
            "cagr": self.cagr,
        }


@dataclass(frozen=True)
class GrowthResult:
    """Table 2: units, group means and the national mean per period, each with its growth rate."""

    value: str
    times: tuple[str, ...]
    span: float
    units: tuple[SeriesGrowth, ...]
    groups: tuple[SeriesGrowth, ...]
    national: SeriesGrowth
    filled: tuple[FilledCell, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "times": list(self.times),
            "span": self.span,
            "units": [u.to_dict(self.times) for u in self.units],
            "groups": [g.to_dict(self.times) for g in self.groups],
            "national": self.national.to_dict(self.times),
        }
        if self.filled:
            out["imputed"] = [vars(c) for c in self.filled]
        return out

    def to_frame(self) -> pd.DataFrame:
        """Wide, in the paper's order: each group's units then its mean row; the national mean last."""
        import pandas as pd

        ordered: list[SeriesGrowth] = []
        for g in self.groups:
            ordered += [u for u in self.units if u.group == g.name]
            ordered.append(g)
        ordered += [u for u in self.units if u.group is None]
        ordered.append(self.national)
        rows = []
        for s in ordered:
            row: dict[str, Any] = {"level": s.level, "group": s.group or "", "name": s.name, "n": s.n}
            row.update(dict(zip(self.times, s.values, strict=True)))
            row["cagr"] = s.cagr
            row["cagr_pct"] = None if s.cagr is None else 100.0 * s.cagr
            rows.append(row)
        return pd.DataFrame(rows)


def _span(times: tuple[str, ...]) -> float:
    try:
        return float(times[-1]) - float(times[0])
    except ValueError:
        return float(len(times) - 1)


def _wide(panel: Panel, column: str, times: tuple[str, ...]) -> tuple[list[str], np.ndarray]:
    units = list(dict.fromkeys(panel.unit))
    u_index = {u: i for i, u in enumerate(units)}
    t_index = {t: i for i, t in enumerate(times)}
    grid = np.full((len(units), len(times)), np.nan)
    grid[[u_index[u] for u in panel.unit], [t_index[t] for t in panel.time]] = panel.column(column)
    holes = np.argwhere(np.isnan(grid))
    if len(holes):
        shown = "; ".join(f"unit {units[i]} time {times[j]}" for i, j in holes[:8])
        raise InputError(panel.source, f"unbalanced panel: {len(holes)} unit-time row(s) absent: {shown}")
    return units, grid


def _unit_groups(panel: Panel, group: str | None, units: list[str]) -> dict[str, str | None]:
    if group is None:
        return dict.fromkeys(units)
    labels = panel.extra[group]
    out: dict[str, str | None] = {}
    for u, g in zip(panel.unit, labels, strict=True):
        if out.setdefault(u, g) != g:
            raise InputError(
                panel.source, f"unit {u!r} changes group ({out[u]!r} → {g!r}); growth needs fixed groups"
            )
    return out


def growth(panel: Panel, *, value: str | None = None, group: str | None = None) -> GrowthResult:
    """Per-unit average annual growth, group means and the national mean per period (Table 2)."""
    column = value or panel.indicators[0]
    if column not in panel.indicators:
        raise InputError(panel.source, f"value column {column!r} not loaded")
    if group is not None and group not in panel.extra:
        raise InputError(panel.source, f"group column {group!r} was not loaded")
    times = time_order(panel.time)
    if len(times) < 2:
        raise InputError(panel.source, f"growth needs at least 2 periods; got {len(times)}")
    span = _span(times)
    units, grid = _wide(panel, column, times)
    member = _unit_groups(panel, group, units)
    notes: list[str] = []

    def series(level: str, name: str, grp: str | None, rows: np.ndarray) -> SeriesGrowth:
        vals = grid[rows].mean(axis=0)
        rate = annual_growth(vals[0], vals[-1], span)
        if rate is None:
            notes.append(f"{level} {name}: growth rate undefined (first value {vals[0]:g} <= 0)")
        return SeriesGrowth(level, name, grp, len(rows), tuple(float(v) for v in vals), rate)

    unit_rows = tuple(series("unit", u, member[u], np.array([i])) for i, u in enumerate(units))
    group_rows: tuple[SeriesGrowth, ...] = ()
    if group is not None:
        names = list(dict.fromkeys(g for g in member.values() if g is not None))
        group_rows = tuple(
            series("group", g, g, np.array([i for i, u in enumerate(units) if member[u] == g])) for g in names
        )
    national = series("national", "national", None, np.arange(len(units)))
    for note in notes:
        warnings.warn(note, NqpfWarning, stacklevel=2)
    return GrowthResult(column, times, span, unit_rows, group_rows, national, panel.filled, tuple(notes))
