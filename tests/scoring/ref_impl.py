"""Straightforward reference implementations (plain loops over the textbook formulas), for cross-checks.

Written independently of ``nqpf_text.scoring``: no shared code, no sorting tricks.
"""

from __future__ import annotations

import math
from itertools import combinations


def ref_entropy_block(rows: list[list[float]], benefit: list[bool], shift: float) -> dict:
    """Entropy-TOPSIS on one block of rows standardized together."""
    m, k = len(rows), len(rows[0])
    v = [[0.0] * k for _ in range(m)]
    e, d = [0.0] * k, [0.0] * k
    for j in range(k):
        col = [r[j] for r in rows]
        lo, hi = min(col), max(col)
        if hi == lo:
            e[j], d[j] = 1.0, 0.0
            continue
        for i in range(m):
            v[i][j] = (col[i] - lo) / (hi - lo) if benefit[j] else (hi - col[i]) / (hi - lo)
        total = sum(v[i][j] + shift for i in range(m))
        acc = 0.0
        for i in range(m):
            p = (v[i][j] + shift) / total
            if p > 0:
                acc += p * math.log(p)
        e[j] = -acc / math.log(m)
        d[j] = 1.0 - e[j]
    w = [x / sum(d) for x in d]
    z = [[w[j] * v[i][j] for j in range(k)] for i in range(m)]
    best = [max(z[i][j] for i in range(m)) for j in range(k)]
    worst = [min(z[i][j] for i in range(m)) for j in range(k)]
    dp = [math.sqrt(sum((z[i][j] - best[j]) ** 2 for j in range(k))) for i in range(m)]
    dm = [math.sqrt(sum((z[i][j] - worst[j]) ** 2 for j in range(k))) for i in range(m)]
    c = [dm[i] / (dp[i] + dm[i]) for i in range(m)]
    return {"entropy": e, "weights": w, "d_plus": dp, "d_minus": dm, "score": c}


def ref_gini(values: list[float]) -> float:
    n, mu = len(values), sum(values) / len(values)
    return sum(abs(a - b) for a in values for b in values) / (2 * n * n * mu)


def ref_dagum(groups: dict[str, list[float]]) -> dict:
    """Dagum (1997) by the double-sum definitions, pairs ordered by mean for D_jh."""
    allv = [x for g in groups.values() for x in g]
    n, mu = len(allv), sum(allv) / len(allv)
    G = ref_gini(allv)
    mean = {g: sum(v) / len(v) for g, v in groups.items()}
    p = {g: len(v) / n for g, v in groups.items()}
    s = {g: len(v) * mean[g] / (n * mu) for g, v in groups.items()}
    within = {}
    for g, v in groups.items():
        within[g] = (
            0.0 if mean[g] == 0 else sum(abs(a - b) for a in v for b in v) / (2 * len(v) ** 2 * mean[g])
        )
    gw = sum(within[g] * p[g] * s[g] for g in groups)
    between, gnb, gt = {}, 0.0, 0.0
    for a, b in combinations(list(groups), 2):
        ya, yb = groups[a], groups[b]
        gab = sum(abs(x - y) for x in ya for y in yb) / (len(ya) * len(yb) * (mean[a] + mean[b]))
        hi, lo = (ya, yb) if mean[a] >= mean[b] else (yb, ya)
        d = sum(max(x - y, 0.0) for x in hi for y in lo) / (len(ya) * len(yb))
        q = sum(max(y - x, 0.0) for x in hi for y in lo) / (len(ya) * len(yb))
        D = 0.0 if d + q == 0 else (d - q) / (d + q)
        between[f"{a}|{b}"] = gab
        gnb += gab * (p[a] * s[b] + p[b] * s[a]) * D
        gt += gab * (p[a] * s[b] + p[b] * s[a]) * (1 - D)
    return {"G": G, "Gw": gw, "Gnb": gnb, "Gt": gt, "within": within, "between": between}
