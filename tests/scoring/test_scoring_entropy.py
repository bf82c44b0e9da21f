"""Entropy weights and entropy-TOPSIS: reference agreement, properties, edge cases, sub-indices."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nqpf_text.errors import InputError, NqpfWarning
from nqpf_text.scoring import entropy_only, entropy_topsis, entropy_weights, load_directions, load_panel
from nqpf_text.scoring.entropy import rank_within
from nqpf_text.scoring.framework import framework_path, load_framework, parse_directions


def panel_of(frame: pd.DataFrame):
    return load_panel(frame, unit="unit", time="time")


def dirs_for(k: int, minus: tuple[int, ...] = ()) -> dict[str, str]:
    return {f"x{j}": "-" if j in minus else "+" for j in range(k)}


# ------------------------------------------------------------------------------------ reference agreement
@pytest.mark.parametrize("by_time", [False, True])
@pytest.mark.parametrize(("seed", "shift", "negative"), [(1, 1e-4, False), (2, 0.0, False), (3, 1e-4, True)])
def test_matches_reference(by_time: bool, seed: int, shift: float, negative: bool, ref, make_panel) -> None:
    rng = np.random.default_rng(seed)
    frame = make_panel(rng, units=9, times=4, k=5, negative=negative)
    directions = dirs_for(5, minus=(1, 3))
    result = entropy_topsis(panel_of(frame), directions, shift=shift, by_time=by_time)
    benefit = [directions[f"x{j}"] == "+" for j in range(5)]
    blocks = [frame] if not by_time else [g for _, g in frame.groupby("time", sort=True)]
    for i, block in enumerate(blocks):
        want = ref.ref_entropy_block(block[[f"x{j}" for j in range(5)]].values.tolist(), benefit, shift)
        np.testing.assert_allclose(result.entropy.entropy[i], want["entropy"], rtol=0, atol=1e-9)
        np.testing.assert_allclose(result.entropy.weights[i], want["weights"], rtol=0, atol=1e-9)
        rows = block.index.to_numpy()
        for key in ("d_plus", "d_minus", "score"):
            np.testing.assert_allclose(getattr(result, key)[rows], want[key], rtol=0, atol=1e-9)


# ------------------------------------------------------------------------------------ properties
matrices = st.integers(2, 12).flatmap(
    lambda m: arrays(
        np.float64, (m, 4), elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=32)
    )
)


def _frame(x: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(x, columns=[f"x{j}" for j in range(x.shape[1])])
    frame.insert(0, "time", "2020")
    frame.insert(0, "unit", [f"u{i}" for i in range(len(x))])
    return frame


def _nonconstant(x: np.ndarray) -> bool:
    return bool((np.ptp(x, axis=0) > 0).any())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(x=matrices, shift=st.sampled_from([0.0, 1e-4, 0.5]))
def test_weights_and_closeness_bounds(x: np.ndarray, shift: float) -> None:
    if not _nonconstant(x):
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NqpfWarning)
        result = entropy_topsis(panel_of(_frame(x)), dirs_for(4, minus=(2,)), shift=shift)
    w = result.entropy.weights[0]
    assert (w >= 0).all() and abs(w.sum() - 1) < 1e-12
    assert ((result.score >= 0) & (result.score <= 1)).all()
    assert np.isfinite(result.d_plus).all() and np.isfinite(result.d_minus).all()


@settings(max_examples=40, deadline=None)
@given(x=matrices, data=st.data())
def test_row_permutation_does_not_change_scores(x: np.ndarray, data: st.DataObject) -> None:
    if not _nonconstant(x):
        return
    perm = data.draw(st.permutations(range(len(x))))
    frame = _frame(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NqpfWarning)
        a = entropy_topsis(panel_of(frame), dirs_for(4, minus=(0,)))
        b = entropy_topsis(panel_of(frame.iloc[list(perm)].reset_index(drop=True)), dirs_for(4, minus=(0,)))
    by_unit_a = dict(zip(a.unit, a.score, strict=True))
    by_unit_b = dict(zip(b.unit, b.score, strict=True))
    for u, s in by_unit_a.items():
        assert abs(by_unit_b[u] - s) < 1e-12
    assert dict(zip(a.unit, a.rank, strict=True)) == dict(zip(b.unit, b.rank, strict=True))


@settings(max_examples=40, deadline=None)
@given(
    x=arrays(np.float64, (6, 3), elements=st.floats(0, 100, allow_nan=False, width=32)), k=st.integers(0, 5)
)
def test_strictly_dominating_row_ranks_first(x: np.ndarray, k: int) -> None:
    directions = dirs_for(3, minus=(1,))
    x = x.copy()
    x[k] = [x[:, 0].max() + 1, x[:, 1].min() - 1, x[:, 2].max() + 1]  # better on every indicator
    result = entropy_topsis(panel_of(_frame(x)), directions)
    assert result.rank[k] == 1 and not result.tied[k]
    assert result.score[k] == pytest.approx(1.0)


def test_translation_leaves_everything_unchanged(make_panel) -> None:
    """Negative values are allowed: min-max makes the method invariant to adding a constant."""
    rng = np.random.default_rng(7)
    frame = make_panel(rng, 8, 3, 4)
    shifted = frame.copy()
    shifted["x1"] -= 1000.0
    a = entropy_topsis(panel_of(frame), dirs_for(4, minus=(1,)))
    b = entropy_topsis(panel_of(shifted), dirs_for(4, minus=(1,)))
    assert (shifted["x1"] < 0).all()
    np.testing.assert_allclose(a.score, b.score, atol=1e-12)
    np.testing.assert_allclose(a.entropy.weights, b.entropy.weights, atol=1e-12)


def test_direction_reversal_mirrors_column(make_panel) -> None:
    rng = np.random.default_rng(8)
    frame = make_panel(rng, 6, 2, 3)
    mirrored = frame.copy()
    mirrored["x2"] = -mirrored["x2"]
    a = entropy_topsis(panel_of(frame), dirs_for(3))
    b = entropy_topsis(panel_of(mirrored), dirs_for(3, minus=(2,)))
    np.testing.assert_allclose(a.score, b.score, atol=1e-12)


# ------------------------------------------------------------------------------------ edge cases
def test_constant_column_gets_zero_weight_and_warning(make_panel) -> None:
    frame = make_panel(np.random.default_rng(3), 5, 2, 3)
    frame["x1"] = 4.0
    for shift in (0.0, 1e-4):
        with pytest.warns(NqpfWarning, match=r"indicator x1 is constant \(all 10 rows\); weight 0"):
            result = entropy_topsis(panel_of(frame), dirs_for(3), shift=shift)
        assert result.entropy.weights[0, 1] == 0.0 and result.entropy.entropy[0, 1] == 1.0
        assert abs(result.entropy.weights.sum() - 1) < 1e-12


def test_all_constant_is_an_error(make_panel) -> None:
    frame = make_panel(np.random.default_rng(3), 4, 1, 2)
    frame[["x0", "x1"]] = 1.0
    with pytest.raises(InputError, match="every indicator is constant"), warnings.catch_warnings():
        warnings.simplefilter("ignore", NqpfWarning)
        entropy_topsis(panel_of(frame), dirs_for(2))


def test_by_time_needs_two_rows_per_period(make_panel) -> None:
    frame = make_panel(np.random.default_rng(4), 3, 2, 2)
    frame = frame.iloc[:4]  # 2000 has 3 rows, 2001 has 1
    with pytest.raises(InputError, match="time '2001' has 1 row"):
        entropy_topsis(panel_of(frame), dirs_for(2), by_time=True)


def test_missing_direction_and_bad_shift(make_panel) -> None:
    panel = panel_of(make_panel(np.random.default_rng(5), 3, 2, 2))
    with pytest.raises(InputError, match="no direction for indicator column"):
        entropy_topsis(panel, {"x0": "+"})
    with pytest.raises(InputError, match="shift"):
        entropy_topsis(panel, dirs_for(2), shift=-1.0)


def test_shift_changes_entropy_as_documented() -> None:
    x = np.array([[0.0], [1.0], [3.0]])
    e0 = entropy_weights(x, np.array([True]), shift=0.0).entropy[0]
    p = np.array([1 / 3, 1.0]) / (4 / 3)  # v = 0, 1/3, 1 → 0·ln 0 = 0
    assert e0 == pytest.approx(-(p * np.log(p)).sum() / np.log(3))
    e1 = entropy_weights(x, np.array([True]), shift=1e-4).entropy[0]
    assert e1 > e0


def test_ranks_with_ties() -> None:
    scores = np.array([0.5, 0.9, 0.5, 0.1, 0.9, 0.3])
    groups = np.array(["a", "a", "a", "a", "b", "b"])
    rank, tied = rank_within(scores, groups)
    assert rank.tolist() == [2, 1, 2, 4, 1, 2]
    assert tied.tolist() == [True, False, True, False, False, False]


def test_identical_rows_share_rank_in_output() -> None:
    frame = _frame(np.array([[1.0, 5.0], [3.0, 2.0], [3.0, 2.0], [0.0, 9.0]]))
    rows = entropy_topsis(panel_of(frame), dirs_for(2)).to_dict()["scores"]
    assert rows[1]["rank"] == rows[2]["rank"] and rows[1]["tied"] and rows[2]["tied"]


# ------------------------------------------------------------------------------------ outputs and framework
def test_json_shape_and_no_nan(hqe21_file: Path, hqe21, make_panel) -> None:
    import json

    rng = np.random.default_rng(11)
    frame = make_panel(rng, 6, 3, 21)
    frame.columns = ["unit", "time", *hqe21.leaves]
    frame["E1.1"] = 2.0  # constant: weight 0, still finite everywhere
    with pytest.warns(NqpfWarning) as caught:
        result = entropy_topsis(
            load_panel(frame, unit="unit", time="time"), framework=load_framework(hqe21_file)
        )
    messages = [str(w.message) for w in caught]
    assert any("indicator E1.1 is constant (all 18 rows); weight 0" in m for m in messages)
    assert any("dimension E1: all its indicators are constant" in m for m in messages)
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert list(data)[:4] == ["weights", "entropy", "scores", "dimensions"]
    assert list(data["weights"]) == hqe21.leaves
    assert set(data["scores"][0]) >= {"unit", "time", "d_plus", "d_minus", "score", "rank"}
    assert isinstance(data["scores"][0]["time"], str) and len(data["scores"]) == 18
    assert set(data["dimensions"]) == {"T", "E", "Q", "T1", "T2", "T3", "E2", "E3", "Q1", "Q2"}  # E1 constant
    assert data["dimensions"]["T"]["indicators"] == hqe21.leaves[:8]
    assert sum(data["dimensions"][d]["weight"] for d in "TEQ") == pytest.approx(1.0)


def test_dimension_subindex_equals_rerun_on_its_columns(hqe21_file: Path, hqe21, make_panel) -> None:
    rng = np.random.default_rng(12)
    frame = make_panel(rng, 7, 3, 21)
    frame.columns = ["unit", "time", *hqe21.leaves]
    for by_time in (False, True):
        full = entropy_topsis(
            load_panel(frame, unit="unit", time="time"), framework=hqe21_file, by_time=by_time
        )
        sub = frame[["unit", "time", "E3.1", "E3.2", "E3.3", "E3.4"]]
        alone = entropy_topsis(load_panel(sub, unit="unit", time="time"), hqe21.directions, by_time=by_time)
        e3 = next(d for d in full.dimensions if d.dimension.id == "E3")
        np.testing.assert_allclose(e3.score, alone.score, atol=1e-12)
        np.testing.assert_array_equal(e3.rank, alone.rank)


def test_framework_directions_from_yaml(hqe21_file: Path, hqe21) -> None:
    directions = load_directions(str(hqe21_file))
    assert directions == hqe21.directions
    fw = load_framework(hqe21_file)
    assert [d.id for d in fw.dimensions if d.level == 1] == ["T", "E", "Q"]


def test_shipped_hqe21_matches_contract(hqe21) -> None:
    if not framework_path("hqe21").is_file():
        pytest.skip("lexicons/frameworks/hqe21.yaml not written yet")
    directions = load_directions("hqe21")
    assert list(directions) == hqe21.leaves
    assert {k for k, d in directions.items() if d == "-"} == hqe21.cost


def test_parse_directions_inline_and_file(tmp_path: Path) -> None:
    assert parse_directions("a=+, b=-,c=−") == {"a": "+", "b": "-", "c": "-"}
    path = tmp_path / "d.json"
    path.write_text('{"a": "positive", "b": "负向"}', encoding="utf-8")
    assert parse_directions(str(path)) == {"a": "+", "b": "-"}
    with pytest.raises(InputError, match='direction must be "\\+" or "-"'):
        parse_directions("a=up")


def test_entropy_only_by_time_weights_sum_to_one(make_panel) -> None:
    result = entropy_only(panel_of(make_panel(np.random.default_rng(13), 5, 3, 3)), dirs_for(3), by_time=True)
    data = result.to_dict()
    assert set(data["by_time"]) == {"2000", "2001", "2002"}
    assert sum(data["weights"].values()) == pytest.approx(1.0)
    for block in data["by_time"].values():
        assert sum(block["weights"].values()) == pytest.approx(1.0)
    assert len(result.to_frame()) == 9
