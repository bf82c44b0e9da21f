"""Dagum decomposition: O(n log n) kernels vs brute force, reference agreement, identities, bootstrap."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nqpf_text.errors import InputError, NqpfWarning
from nqpf_text.scoring import dagum, dagum_decompose, load_panel
from nqpf_text.scoring.dagum import abs_diff_sums, within_abs_sum


def panel_from(values: np.ndarray, labels: list[str], times: list[str] | None = None):
    frame = pd.DataFrame({"unit": [f"u{i}" for i in range(len(values))], "g": labels, "y": values})
    frame["t"] = times or ["2020"] * len(values)
    return load_panel(frame, unit="unit", time="t", indicators=["y"], extra=["g"])


def test_kernels_match_brute_force() -> None:
    rng = np.random.default_rng(0)
    a = rng.integers(0, 6, size=(3, 9)).astype(float)  # many ties
    b = rng.integers(0, 6, size=(3, 5)).astype(float)
    diff = a[:, :, None] - b[:, None, :]
    pos, neg = abs_diff_sums(a, b)
    np.testing.assert_allclose(pos, np.clip(diff, 0, None).sum(axis=(1, 2)))
    np.testing.assert_allclose(neg, np.clip(-diff, 0, None).sum(axis=(1, 2)))
    np.testing.assert_allclose(within_abs_sum(a), np.abs(a[:, :, None] - a[:, None, :]).sum(axis=(1, 2)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_reference(seed: int, ref) -> None:
    rng = np.random.default_rng(seed)
    sizes = {"A": 7, "B": 4, "C": 9, "D": 1}
    groups = {g: list(rng.gamma(2.0, 1.0 + i, size=n)) for i, (g, n) in enumerate(sizes.items())}
    names = list(groups)
    parts = dagum_decompose([np.array(v) for v in groups.values()], names)
    want = ref.ref_dagum(groups)
    for key in ("G", "Gw", "Gnb", "Gt"):
        assert getattr(parts, key) == pytest.approx(want[key], abs=1e-9)
    for g in names:
        assert parts.within[g] == pytest.approx(want["within"][g], abs=1e-9)
    for k, v in want["between"].items():
        assert parts.between[k] == pytest.approx(v, abs=1e-9)


def test_panel_driver_per_time_and_output_shape(ref) -> None:
    rng = np.random.default_rng(4)
    values = rng.gamma(2.0, 1.0, size=24)
    labels = ["east"] * 5 + ["west"] * 4 + ["mid"] * 3
    result = dagum(panel_from(values, labels * 2, ["2021"] * 12 + ["2020"] * 12), group="g")
    data = result.to_dict()
    assert [p["time"] for p in data] == ["2020", "2021"]
    first = data[0]
    assert list(first)[:8] == ["time", "G", "Gw", "Gnb", "Gt", "contrib", "within", "between"]
    assert list(first["within"]) == ["east", "west", "mid"]
    assert list(first["between"]) == ["east|west", "east|mid", "west|mid"]
    assert sum(first["contrib"].values()) == pytest.approx(100.0)
    want = ref.ref_dagum({g: list(values[12:][np.array(labels) == g]) for g in ("east", "west", "mid")})
    assert first["G"] == pytest.approx(want["G"], abs=1e-12)
    assert len(result.to_frame()) == 2


group_values = st.lists(st.floats(0.01, 1e4, allow_nan=False), min_size=1, max_size=8)


@settings(max_examples=80, deadline=None)
@given(groups=st.lists(group_values, min_size=1, max_size=4), scale=st.floats(1e-3, 1e3))
def test_identity_and_scale_invariance(groups: list[list[float]], scale: float, ref) -> None:
    arrays = [np.array(g) for g in groups]
    names = [f"g{i}" for i in range(len(groups))]
    parts = dagum_decompose(arrays, names)
    assert pytest.approx(parts.Gw + parts.Gnb + parts.Gt, rel=1e-12, abs=1e-15) == parts.G
    assert pytest.approx(ref.ref_gini([x for g in groups for x in g]), abs=1e-9) == parts.G
    assert parts.Gnb >= -1e-15 and parts.Gt >= -1e-15  # groups ordered by mean: D_jh in [0, 1]
    scaled = dagum_decompose([a * scale for a in arrays], names)
    for key in ("G", "Gw", "Gnb", "Gt"):
        assert getattr(scaled, key) == pytest.approx(getattr(parts, key), rel=1e-9, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(value=st.floats(0.01, 1e6), sizes=st.lists(st.integers(1, 6), min_size=1, max_size=4))
def test_equal_values_give_zero(value: float, sizes: list[int]) -> None:
    parts = dagum_decompose([np.full(n, value) for n in sizes], [f"g{i}" for i in range(len(sizes))])
    assert parts.G == 0 and parts.Gw == 0 and parts.Gnb == 0 and parts.Gt == 0


def test_net_between_equals_mean_gap_identity() -> None:
    """With pairs ordered by mean, G_jh (p_j s_h + p_h s_j) D_jh = p_j p_h (μ_j − μ_h) / μ."""
    rng = np.random.default_rng(5)
    groups = [rng.gamma(2, s, size=n) for s, n in ((1, 6), (2, 5), (3, 8))]
    parts = dagum_decompose(groups, ["a", "b", "c"])
    n = sum(len(g) for g in groups)
    mu = np.concatenate(groups).mean()
    gap = sum(
        len(groups[i]) * len(groups[j]) / n**2 * abs(groups[i].mean() - groups[j].mean())
        for i in range(3)
        for j in range(i + 1, 3)
    )
    assert parts.Gnb == pytest.approx(gap / mu, rel=1e-12)


def test_bootstrap_reproducible_with_seed() -> None:
    rng = np.random.default_rng(6)
    panel = panel_from(rng.gamma(2.0, 1.0, size=20), ["a"] * 8 + ["b"] * 7 + ["c"] * 5)
    one = dagum(panel, group="g", bootstrap=300, seed=42).to_dict()[0]
    two = dagum(panel, group="g", bootstrap=300, seed=42).to_dict()[0]
    other = dagum(panel, group="g", bootstrap=300, seed=43).to_dict()[0]
    assert one["ci"] == two["ci"] and one["ci"] != other["ci"]
    lo, hi = one["ci"]["G"]
    assert 0 <= lo < hi and set(one["ci"]["between"]) == set(one["between"])
    with pytest.raises(InputError, match="explicit seed"):
        dagum(panel, group="g", bootstrap=10)


def test_negative_values_rejected_and_singletons_warned() -> None:
    with pytest.raises(InputError, match=r"negative value .* needs values >= 0"):
        dagum(panel_from(np.array([1.0, -2.0, 3.0]), ["a", "b", "b"]), group="g")
    with pytest.warns(NqpfWarning, match="group\\(s\\) a have one unit"):
        result = dagum(panel_from(np.array([1.0, 2.0, 3.0]), ["a", "b", "b"]), group="g")
    assert result.periods[0].within["a"] == 0.0


def test_all_zero_is_an_error() -> None:
    with pytest.raises(InputError, match="mean is 0"), warnings.catch_warnings():
        warnings.simplefilter("ignore", NqpfWarning)
        dagum(panel_from(np.zeros(4), ["a", "a", "b", "b"]), group="g")
