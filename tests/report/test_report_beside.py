"""Text beside numbers: attention shares beside entropy weights, region emphasis beside panel scores."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from nqpf_text.report import build_tables
from nqpf_text.report.beside import spearman, strength

PROVINCES = ["甘肃", "江苏省", "黑龙江", "北京市", "广东", "四川", "河南", "辽宁"]


def _score_panel(years: list[int]) -> pd.DataFrame:
    rows = []
    for y in years:
        for i, name in enumerate(PROVINCES):
            rows.append(
                {
                    "province": name,
                    "region": "东部",
                    "year": y,
                    "nqpf": round(0.1 + 0.07 * ((i * 5 + y) % 8), 3),
                }
            )
    return pd.DataFrame(rows)


def test_no_panel_is_a_note_not_an_error(tables):
    assert "beside_weights" not in tables and "beside_regions" not in tables
    notes = tables["notes"]
    assert notes[notes["section"] == "beside"]["note"].str.contains("No panel").any()


def test_score_panel_rank_correlation(synth):
    panel = _score_panel([2024, 2025])
    out = build_tables(synth, panel=panel)
    corr = out["beside_correlation"].set_index("text_year")
    pairs = out["beside_regions"]
    assert set(corr.index) == {2024, 2025}
    assert (corr["panel_year"] == corr.index).all()
    sub = pairs[pairs["text_year"] == 2024]
    assert len(sub) == len(PROVINCES)  # every panel province, with 0 where the texts never name it
    expected = sub[["text_per_10k", "panel_nqpf"]].corr(method="spearman").iloc[0, 1]
    assert corr.loc[2024, "spearman_rho"] == pytest.approx(expected, abs=1e-4)
    assert corr.loc[2024, "n"] == len(PROVINCES)
    assert "provinces" in corr.loc[2024, "reading"]
    gansu = sub[sub["region"] == "620000"].iloc[0]
    text = out["region_year_panel"]
    assert (
        gansu["text_per_10k"]
        == text[(text["region"] == "620000") & (text["year"] == 2024)]["per_10k_rollup"].iloc[0]
    )


def test_older_panel_year_stands_in(synth):
    out = build_tables(synth, panel=_score_panel([2020, 2021, 2022]))
    corr = out["beside_correlation"]
    assert corr["panel_year"].tolist() == [2022, 2022]  # the nearest panel year stands in
    assert corr["reading"].str.contains("panel year 2022").all()
    assert corr["text_documents"].tolist() == [3, 2]


def test_indicator_panel_entropy_weights(synth):
    from nqpf_text.scoring import entropy_topsis, load_panel

    rng = np.random.default_rng(7)
    rows = []
    for y in (2024, 2025):
        for name in PROVINCES:
            rows.append({"地区": name, "年份": y, "T1.1": rng.uniform(1, 3), "T3.1": rng.uniform(0, 50),
                         "E3.1": rng.uniform(0.2, 0.9)})  # fmt: skip
    panel = pd.DataFrame(rows)
    out = build_tables(synth, panel=panel)
    weights = out["beside_weights"].set_index("indicator")
    assert weights["entropy_weight"].sum() == pytest.approx(1, abs=1e-3)
    reference = entropy_topsis(
        load_panel(panel, unit="地区", time="年份", indicators=["T1.1", "T3.1", "E3.1"]),
        {"T1.1": "+", "T3.1": "+", "E3.1": "-"},
    ).entropy.weights_dict()
    for ind, w in reference.items():
        assert weights.loc[ind, "entropy_weight"] == pytest.approx(w, abs=1e-4)
    summary = out["indicator_summary"].set_index("indicator")
    assert weights.loc["T1.1", "text_share"] == summary.loc["T1.1", "attention_share"]
    assert "beside_correlation" in out  # TOPSIS scores stand beside the region emphasis
    notes = out["notes"]
    assert notes[notes["section"] == "beside_weights"]["note"].str.contains("ρ").any()


def test_unusable_panel_is_skipped_with_a_note(synth):
    out = build_tables(synth, panel=pd.DataFrame({"x": ["a", "b"], "y": [1, 2]}))
    assert "beside_regions" not in out
    assert out["notes"]["note"].str.contains("no column of province").any()


def test_spearman_and_words():
    rho, p = spearman([1, 2, 3, 4], [10, 20, 30, 40])
    assert rho == pytest.approx(1.0) and p < 0.05
    assert math.isnan(spearman([1, 1, 1], [1, 2, 3])[0])
    assert (
        strength(0.05) == "no"
        and strength(-0.6) == "strong negative"
        and strength(0.35) == "moderate positive"
    )


def test_nearest_panel_year():
    from nqpf_text.report.beside import _pick_panel_year

    assert _pick_panel_year(2013, [2014, 2015, 2023]) == 2014
    assert _pick_panel_year(2025, [2014, 2023]) == 2023
    assert _pick_panel_year(2019, [2018, 2020]) == 2018
    assert _pick_panel_year(2019, []) is None


def test_direction_is_hedged_when_not_significant():
    from nqpf_text.report.beside import _direction

    assert "more attention" in _direction(0.5, 0.01)
    assert "less attention" in _direction(-0.5, 0.01)
    assert "cannot be told apart" in _direction(0.25, 0.2)
    assert "does not follow" in _direction(0.02, 0.9)
