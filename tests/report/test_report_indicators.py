"""Indicator views in the reports: roll-ups to second/first level and the region × indicator table."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from _report_synth import DOCS, XSS_SCRIPT

from nqpf_text.link import links_frame
from nqpf_text.report import build_tables, write_reports
from nqpf_text.report.html import render_html
from nqpf_text.report.indicators import REGION_INDICATOR_COLUMNS, framework_indicators, region_indicator
from nqpf_text.report.regions import RegionCatalog

SENTENCES = [s for d in DOCS for s in re.findall(r"[^。]+。?", d[-1])]
CUES = {"T1.1": "研发", "T3.1": "人工智能"}  # the synthetic links: a cue in the sentence → a link
SCORES = {"T1.1": 0.9, "T3.1": 0.6}


def _expected(names: tuple[str, ...], indicator: str) -> int:
    """Sentences naming any of ``names`` that carry the indicator's cue, counted by hand."""
    return sum(any(n in s for n in names) and CUES[indicator] in s for s in SENTENCES)


def _row(frame: pd.DataFrame, region: str, indicator: str) -> pd.Series | None:
    hit = frame[(frame["region"] == region) & (frame["indicator"] == indicator)]
    return None if hit.empty else hit.iloc[0]


@pytest.mark.parametrize(
    ("region", "own", "family", "indicator"),
    [
        ("621000", ("庆阳",), ("庆阳",), "T3.1"),
        ("620000", ("甘肃",), ("甘肃", "庆阳", "兰州"), "T3.1"),
        ("320000", ("江苏",), ("江苏", "南京"), "T1.1"),
        ("320000", ("江苏",), ("江苏", "南京"), "T3.1"),
        ("230000", ("黑龙江",), ("黑龙江", "哈尔滨"), "T3.1"),
    ],
)
def test_region_indicator_counts_statements_once(tables, region, own, family, indicator):
    row = _row(tables["region_indicator"], region, indicator)
    assert row is not None
    assert row["statements"] == _expected(own, indicator)
    # 江苏南京… names both: the province's roll-up counts that statement once
    assert row["statements_rollup"] == _expected(family, indicator)
    assert row["score_sum_rollup"] == pytest.approx(row["statements_rollup"] * SCORES[indicator])
    assert row["documents_rollup"] <= row["statements_rollup"]


def test_region_indicator_columns_and_names(tables):
    frame = tables["region_indicator"]
    assert list(frame.columns) == REGION_INDICATOR_COLUMNS
    gansu = _row(frame, "620000", "T3.1")
    assert (gansu["name"], gansu["level"], gansu["indicator_name"]) == ("甘肃省", "province", "人工智能企业")
    assert gansu["statements"] == 0 < gansu["statements_rollup"]  # only its city 庆阳 is named
    assert not frame.duplicated(["region", "indicator"]).any()
    assert (frame["statements_rollup"] >= frame["statements"]).all()


def test_region_indicator_counts_places_only(synth, tables):
    mentions = synth.mentions.copy()
    mentions.loc[mentions["text"].str.startswith("庆阳"), "role"] = "org"
    info = framework_indicators(synth.framework, tables["indicator_links"])
    catalog = RegionCatalog.build(synth.lexicons, mentions)
    frame = region_indicator(tables["indicator_links"], mentions, info, catalog)
    assert "621000" not in set(frame["region"])
    assert _row(frame, "620000", "T3.1") is None  # nothing left to roll up to 甘肃


def test_links_without_offsets_take_them_from_sentences(synth, tables):
    bare = synth.links.drop(columns=["start", "end", "text"])
    again = build_tables(
        synth.replace(links=bare),  # same corpus, links as a minimal store holds them
    )
    pd.testing.assert_frame_equal(again["region_indicator"], tables["region_indicator"])


def test_links_frame_fills_rank_and_boilerplate():
    frame = pd.DataFrame(
        {
            "doc": ["a", "a", "b"],
            "statement": [0, 0, 0],
            "indicator": ["X", "Y", "X"],
            "score": [0.2, 0.7, 0.5],
        }
    )
    out = links_frame(frame)
    assert out["rank"].tolist() == [2, 1, 1]
    assert not out["boilerplate"].any()
    with pytest.raises(ValueError, match="score"):
        links_frame(frame.drop(columns="score"))


def test_rollup_matrices_count_statements_per_group(tables):
    links = tables["indicator_links"]
    second, first = tables["doc_indicator_matrix_second"], tables["doc_indicator_matrix_first"]
    assert list(second.columns[1:4]) == ["T1", "T3", "E3"]
    assert list(first.columns[1:3]) == ["T", "E"]
    per_doc = links.groupby("doc")["statement"].nunique()
    tops = first.set_index("doc")
    # every synthetic link is under 高科技, so T counts each linked statement once
    assert tops["T"].tolist() == [per_doc.get(d, 0) for d in tops.index]
    assert (tops["E"] == 0).all()
    leaf = tables["doc_indicator_matrix"].set_index("doc")
    assert (second.set_index("doc")["T1"] == leaf["T1.1"]).all()
    rollup = tables["indicator_rollup"].set_index(["level", "id"])
    assert rollup.loc[("first", "T"), "statements"] == links[["doc", "statement"]].drop_duplicates().shape[0]
    assert rollup.loc[("first", "E"), "statements"] == 0
    firsts = rollup.loc["first"]
    assert firsts["attention_share"].sum() == pytest.approx(1, abs=1e-3)


def test_region_indicator_in_every_output(tables, tmp_path):
    write_reports(tables, tmp_path, generated="t")
    csv = pd.read_csv(
        tmp_path / "tables" / "region_indicator.csv", encoding="utf-8-sig", dtype={"region": str}
    )
    assert list(csv.columns) == REGION_INDICATOR_COLUMNS and len(csv) == len(tables["region_indicator"])
    from openpyxl import load_workbook

    sheets = load_workbook(tmp_path / "tables.xlsx", read_only=True).sheetnames
    assert {"region_indicator", "doc_indicator_matrix_second", "doc_indicator_matrix_first"} <= set(sheets)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Regions × indicators" in page and "庆阳市 (city)" in page
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    line = next(x for x in summary.splitlines() if x.startswith("Region × indicator:"))
    assert f"{len(tables['region_indicator'])} region–indicator pairs" in line


def test_region_indicator_section_escapes_names(tables):
    hostile = dict(tables)
    hostile["region_indicator"] = tables["region_indicator"].assign(
        name=XSS_SCRIPT, indicator_name=XSS_SCRIPT
    )
    page = render_html(hostile, generated="t", sections=("indicators",))
    assert XSS_SCRIPT not in page
    assert html.escape(XSS_SCRIPT, quote=True) in page
