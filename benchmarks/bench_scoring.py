"""Benchmark the scoring engine against straightforward references in the same run.

- entropy-TOPSIS: 3,000 units × 50 indicators × 20 years (60,000 rows), pooled and by-time, against a
  plain-Python loop implementation of the same formulas;
- Dagum: 10,000 units in 4 groups, against the n×n pairwise sums done row by row (O(n²) time,
  O(n) memory), and against a full n×n difference matrix where it fits (--matrix-limit);
- Dagum bootstrap: 200 replicates of the 10,000-unit sample (engine only).

Prints wall time, the speed ratio, peak traced memory (tracemalloc) and the largest disagreement.
Run: ``python benchmarks/bench_scoring.py`` (about a minute) or ``--quick`` (a few seconds).
"""

from __future__ import annotations

import argparse
import math
import time
import tracemalloc
from collections.abc import Callable
from itertools import combinations
from typing import Any

import numpy as np

from nqpf_text.scoring import Panel, dagum, entropy_topsis
from nqpf_text.scoring.dagum import dagum_decompose


def measure(func: Callable[[], Any], repeat: int = 1) -> tuple[Any, float, float]:
    """Result, best seconds of ``repeat`` untraced runs, peak traced MB (one extra traced run)."""
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, best, peak


# ------------------------------------------------------------------------------------ references
def ref_entropy_topsis(x: list[list[float]], benefit: list[bool], shift: float) -> list[float]:
    """Closeness by plain loops over rows and columns (the textbook recipe, no vectorization)."""
    m, k = len(x), len(x[0])
    lo = [min(r[j] for r in x) for j in range(k)]
    hi = [max(r[j] for r in x) for j in range(k)]
    v = [
        [
            0.0 if hi[j] == lo[j] else ((r[j] - lo[j]) if benefit[j] else (hi[j] - r[j])) / (hi[j] - lo[j])
            for j in range(k)
        ]
        for r in x
    ]
    d = []
    for j in range(k):
        if hi[j] == lo[j]:
            d.append(0.0)
            continue
        total = sum(r[j] + shift for r in v)
        acc = sum(p * math.log(p) for p in ((r[j] + shift) / total for r in v) if p > 0)
        d.append(1.0 + acc / math.log(m))
    w = [dj / sum(d) for dj in d]
    z = [[w[j] * r[j] for j in range(k)] for r in v]
    best = [max(r[j] for r in z) for j in range(k)]
    worst = [min(r[j] for r in z) for j in range(k)]
    out = []
    for r in z:
        dp = math.sqrt(sum((r[j] - best[j]) ** 2 for j in range(k)))
        dm = math.sqrt(sum((r[j] - worst[j]) ** 2 for j in range(k)))
        out.append(dm / (dp + dm))
    return out


def _pair_sums_rowloop(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Σ(a_i − b_r)⁺ and Σ(b_r − a_i)⁺, one row of the n_a × n_b matrix at a time."""
    pos = neg = 0.0
    for x in a:
        diff = x - b
        pos += float(diff[diff > 0].sum())
        neg -= float(diff[diff < 0].sum())
    return pos, neg


def _pair_sums_matrix(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    diff = a[:, None] - b[None, :]
    return float(np.clip(diff, 0, None).sum()), float(np.clip(-diff, 0, None).sum())


def ref_dagum(groups: list[np.ndarray], pair_sums: Callable) -> dict[str, float]:
    """Dagum (1997) from the pairwise definitions, pairs ordered by mean."""
    n = sum(len(g) for g in groups)
    mu = sum(g.sum() for g in groups) / n
    means = [g.mean() for g in groups]
    p = [len(g) / n for g in groups]
    s = [len(g) * means[j] / (n * mu) for j, g in enumerate(groups)]
    total, gw = 0.0, 0.0
    for j, g in enumerate(groups):
        pos, neg = pair_sums(g, g)
        total += pos + neg
        gw += (pos + neg) / (2 * len(g) ** 2 * means[j]) * p[j] * s[j]
    gnb = gt = 0.0
    for j, h in combinations(range(len(groups)), 2):
        hi, lo = (j, h) if means[j] >= means[h] else (h, j)
        pos, neg = pair_sums(groups[hi], groups[lo])
        total += 2 * (pos + neg)
        gjh = (pos + neg) / (len(groups[j]) * len(groups[h]) * (means[j] + means[h]))
        dd = (pos - neg) / (pos + neg)
        weight = p[j] * s[h] + p[h] * s[j]
        gnb += gjh * weight * dd
        gt += gjh * weight * (1 - dd)
    return {"G": total / (2 * n * n * mu), "Gw": gw, "Gnb": gnb, "Gt": gt}


# ------------------------------------------------------------------------------------ workloads
def make_topsis_panel(units: int, k: int, years: int, seed: int) -> Panel:
    rng = np.random.default_rng(seed)
    values = rng.lognormal(0.0, 1.0, size=(units * years, k))
    unit = np.tile(np.array([f"u{i:05d}" for i in range(units)], dtype=object), years)
    time_ = np.repeat(np.array([str(2000 + t) for t in range(years)], dtype=object), units)
    return Panel(unit, time_, values, tuple(f"x{j}" for j in range(k)))


def make_dagum_panel(units: int, seed: int) -> Panel:
    rng = np.random.default_rng(seed)
    labels = np.array(["east", "central", "west", "northeast"], dtype=object)[rng.integers(0, 4, size=units)]
    scale = {"east": 2.0, "central": 1.2, "west": 1.0, "northeast": 1.1}
    values = np.array([rng.gamma(2.0, scale[g]) for g in labels])[:, None]
    unit = np.array([f"u{i:05d}" for i in range(units)], dtype=object)
    return Panel(unit, np.full(units, "2020", dtype=object), values, ("y",), extra={"region": labels})


def bench_topsis(units: int, k: int, years: int, by_time: bool) -> dict[str, Any]:
    panel = make_topsis_panel(units, k, years, seed=1)
    directions = {f"x{j}": "-" if j % 5 == 0 else "+" for j in range(k)}
    benefit = [directions[f"x{j}"] == "+" for j in range(k)]
    result, t_engine, m_engine = measure(lambda: entropy_topsis(panel, directions, by_time=by_time), repeat=3)

    def reference() -> np.ndarray:
        scores = np.zeros(len(panel))
        blocks = (
            [np.arange(len(panel))]
            if not by_time
            else [np.flatnonzero(panel.time == t) for t in panel.times()]
        )
        for rows in blocks:
            scores[rows] = ref_entropy_topsis(panel.values[rows].tolist(), benefit, 1e-4)
        return scores

    ref, t_ref, m_ref = measure(reference)
    label = f"entropy-TOPSIS {'by-time' if by_time else 'pooled'} {units}×{k}×{years}"
    return row(
        label, t_engine, t_ref, m_engine, m_ref, float(np.abs(result.score - ref).max()), "python loops"
    )


def bench_dagum(units: int, matrix_limit: int) -> list[dict[str, Any]]:
    panel = make_dagum_panel(units, seed=2)
    labels = panel.extra["region"]
    names = list(dict.fromkeys(labels))
    groups = [panel.values[labels == g, 0] for g in names]
    result, t_engine, m_engine = measure(lambda: dagum(panel, group="region"), repeat=3)
    period = result.periods[0]
    rows = []
    refs = [("n×n row loop", _pair_sums_rowloop)]
    if units <= matrix_limit:
        refs.append(("n×n matrix", _pair_sums_matrix))
    for name, sums in refs:
        ref, t_ref, m_ref = measure(lambda sums=sums: ref_dagum(groups, sums))
        err = max(abs(getattr(period, k) - ref[k]) for k in ("G", "Gw", "Gnb", "Gt"))
        rows.append(row(f"Dagum {units} units, 4 groups", t_engine, t_ref, m_engine, m_ref, err, name))
    gap = abs(period.G - (period.Gw + period.Gnb + period.Gt))
    print(f"  G = {period.G:.6f}  |G − (Gw + Gnb + Gt)| = {gap:.1e}")
    return rows


def bench_bootstrap(units: int, reps: int) -> dict[str, Any]:
    panel = make_dagum_panel(units, seed=3)
    _, t_engine, m_engine = measure(lambda: dagum(panel, group="region", bootstrap=reps, seed=0), repeat=2)
    labels = panel.extra["region"]
    names = list(dict.fromkeys(labels))
    groups = [panel.values[labels == g, 0] for g in names]
    rng = np.random.default_rng(0)

    def one_at_a_time() -> None:  # the same resamples, decomposed one by one (the usual loop)
        for _ in range(reps):
            dagum_decompose([g[rng.integers(0, len(g), len(g))] for g in groups], names)

    _, t_ref, m_ref = measure(one_at_a_time)
    return row(
        f"Dagum bootstrap {reps}× {units} units",
        t_engine,
        t_ref,
        m_engine,
        m_ref,
        float("nan"),
        "loop of reps",
    )


def row(
    task: str, t_engine: float, t_ref: float, m_engine: float, m_ref: float, err: float, ref: str
) -> dict:
    return {"task": task, "engine_s": t_engine, "ref_s": t_ref, "ratio": t_ref / t_engine, "engine_mb": m_engine,
            "ref_mb": m_ref, "max_abs_diff": err, "reference": ref}  # fmt: skip


def print_table(rows: list[dict[str, Any]]) -> None:
    head = f"{'task':44} {'reference':14} {'engine s':>9} {'ref s':>9} {'ratio':>8} {'eng MB':>8} {'ref MB':>8} {'max|Δ|':>9}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['task']:44} {r['reference']:14} {r['engine_s']:9.3f} {r['ref_s']:9.3f} {r['ratio']:7.1f}× "
            f"{r['engine_mb']:8.1f} {r['ref_mb']:8.1f} {r['max_abs_diff']:9.1e}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds), for a smoke run")
    parser.add_argument(
        "--matrix-limit", type=int, default=10_000, help="largest n for the n×n matrix reference"
    )
    args = parser.parse_args()
    units, k, years, dagum_n, reps = (300, 20, 5, 2_000, 50) if args.quick else (3_000, 50, 20, 10_000, 200)
    rows = [bench_topsis(units, k, years, by_time=False), bench_topsis(units, k, years, by_time=True)]
    rows += bench_dagum(dagum_n, args.matrix_limit)
    rows.append(bench_bootstrap(dagum_n, reps))
    print_table(rows)
    worst = max(r["max_abs_diff"] for r in rows if not math.isnan(r["max_abs_diff"]))
    if worst > 1e-9:
        raise SystemExit(f"engine and reference disagree by {worst:.2e}")


if __name__ == "__main__":
    main()
