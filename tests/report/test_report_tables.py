"""Report tables on a hand-made corpus: contract columns, counts, roll-ups, focal regions, coverage."""

from __future__ import annotations

import pandas as pd
import pytest
from _report_synth import DOCS

from nqpf_text.report.focal import FocalRule, _pick
from nqpf_text.report.regions import RegionCatalog

CONTRACT = {
    "documents": [
        "doc",
        "title",
        "date",
        "author",
        "outlet",
        "kind",
        "chars",
        "focal_region",
        "focal_region_name",
    ],
    "region_mentions": ["doc", "count", "per_10k"],
    "region_year_panel": ["region", "year", "count", "per_10k", "documents"],
    "keyword_coverage": ["lexicon", "id", "term", "count", "documents", "doc_share", "per_10k"],
    "indicator_links": ["doc", "statement", "indicator", "score", "evidence"],
}
TEXT = {d[0]: d[-1] for d in DOCS}


def test_contract_tables_and_columns(tables):
    for name, cols in CONTRACT.items():
        assert name in tables
        assert list(tables[name].columns[: len(cols)]) == cols or set(cols) <= set(tables[name].columns)
    assert list(tables["documents"].columns[:9]) == CONTRACT["documents"]


def test_region_mentions_count_and_rate(tables):
    rm = tables["region_mentions"]
    row = rm[(rm["doc"] == "a.txt#1") & (rm["region"] == "621000")].iloc[0]
    text = TEXT["a.txt#1"]
    assert row["count"] == text.count("庆阳")  # 庆阳市 and 庆阳 are one entry
    assert row["per_10k"] == pytest.approx(round(row["count"] / len(text) * 10_000, 4))
    gansu = rm[(rm["doc"] == "a.txt#1") & (rm["region"] == "620000")].iloc[0]
    assert gansu["count"] == 1
    assert gansu["count_rollup"] == 1 + text.count("庆阳")  # the city counts toward its province
    west = rm[(rm["doc"] == "a.txt#1") & (rm["region"] == "macro.west")].iloc[0]
    assert west["count"] == 0 and west["count_rollup"] == gansu["count_rollup"]


def test_org_role_counted_apart(synth):
    from nqpf_text.report.regional import region_counts

    mentions = synth.mentions.copy()
    extra = mentions.iloc[[0]].assign(id="320100", role="org", start=999, end=1001)
    counts = region_counts(pd.concat([mentions, extra]), RegionCatalog.build(synth.lexicons))
    row = counts[(counts["doc"] == extra["doc"].iloc[0]) & (counts["region"] == "320100")].iloc[0]
    assert row["count_org"] == 1 and row["count"] == 0 and row["count_rollup"] == 0


def test_focal_regions_of_pieces(tables):
    docs = tables["documents"].set_index("doc")
    assert docs.loc["a.txt#1", "focal_region"] == "621000"  # 庆阳 outnumbers 甘肃
    assert docs.loc["a.txt#2", "focal_region"] == "320100"
    assert docs.loc["a.txt#3", "focal_region"] == "230000"  # 黑龙江, not its city 哈尔滨
    assert docs.loc["b.txt", "focal_region"] == "macro.east"  # no province at all: macro regions count
    assert docs.loc["d.txt", "focal_region"] == "320000"  # metadata wins …
    assert docs.loc["d.txt", "focal_source"] == "metadata"
    assert docs.loc["d.txt", "focal_region_text"] == "110000"  # … while the text's own answer is kept
    assert docs.loc["a.txt#1", "focal_region_name"] == "庆阳市"


@pytest.mark.parametrize(
    ("own", "expected"),
    [
        ({"620000": 20, "620100": 6, "621000": 3, "110000": 2}, "620000"),  # a provincial report
        ({"620000": 2, "621000": 9}, "621000"),  # a city piece
        ({"620000": 5, "621000": 5}, "621000"),  # as often as the province's own name: the city
        ({"620000": 5, "621000": 4}, "620000"),  # fewer than the province's own name
        ({"110000": 1}, None),  # below min_count
        ({"110000": 3, "320000": 3, "620000": 3, "230000": 3}, None),  # nobody has 30%
        ({"macro.northeast": 6, "230000": 1}, "macro.northeast"),  # no province qualifies
        ({"zone.yrd": 4, "macro.east": 1}, "zone.yrd"),
    ],
)
def test_focal_rule(synth, own, expected):
    catalog = RegionCatalog.build(synth.lexicons)
    first = {r: i for i, r in enumerate(own)}
    pick = _pick(own, first, catalog, FocalRule())
    assert (pick.region if pick else None) == expected


def test_focal_tie_goes_to_first_mention(synth):
    catalog = RegionCatalog.build(synth.lexicons)
    pick = _pick({"320000": 4, "110000": 4}, {"110000": 5, "320000": 9}, catalog, FocalRule())
    assert pick.region == "110000"


def test_region_year_panel_balanced_with_rollups(tables):
    panel = tables["region_year_panel"]
    years = sorted(panel["year"].unique())
    assert years == [2024, 2025]
    provinces = panel[panel["level"] == "province"]
    assert provinces.groupby("year")["region"].nunique().eq(34).all()  # every provincial unit, every year
    gansu = provinces[(provinces["region"] == "620000") & (provinces["year"] == 2024)].iloc[0]
    assert gansu["count"] == 1 and gansu["count_rollup"] == 1 + TEXT["a.txt#1"].count("庆阳")
    assert gansu["documents"] == 1
    chars_2024 = sum(len(t) for d, t in TEXT.items() if d.startswith("a.txt"))
    assert gansu["per_10k"] == pytest.approx(round(1 / chars_2024 * 10_000, 4))
    east_2025 = panel[(panel["region"] == "macro.east") & (panel["year"] == 2025)].iloc[0]
    assert east_2025["count"] == 2  # 东部 ×2 in b.txt
    assert east_2025["count_rollup"] == 2 + TEXT["c.txt"].count("北京") + TEXT["c.txt"].count("江苏")
    assert not panel.duplicated(["region", "year"]).any()


def test_region_time_periods(tables):
    rt = tables["region_time"]
    months = rt[rt["period_type"] == "month"]["period"].unique()
    assert "2024-01" in months and "2024-03" in months
    assert "2025" not in set(rt[rt["period_type"] == "quarter"]["period"])  # a bare year has no quarter
    assert set(rt[rt["period_type"] == "quarter"]["period"]) >= {"2024Q1", "2025Q2"}


def test_macro_shares_sum_to_one(tables):
    ms = tables["macro_shares"]
    for _, group in ms.groupby(["scope", "group"]):
        total = group["share"].sum()
        assert total == pytest.approx(1, abs=2e-4) or total == 0
    overall = ms[ms["scope"] == "all"].set_index("macro")
    assert overall.loc["macro.northeast", "count_rollup"] == TEXT["a.txt#3"].count("黑龙江") + 1  # + 哈尔滨


def test_region_by_metadata(tables):
    by_outlet = tables["region_by_outlet"]
    nanjing = by_outlet[(by_outlet["outlet"] == "南京日报") & (by_outlet["region"] == "320100")].iloc[0]
    assert nanjing["count"] == TEXT["a.txt#2"].count("南京")
    assert "(none)" in set(by_outlet["outlet"])


def test_keyword_coverage_counts(tables, synth):
    cov = tables["keyword_coverage"]
    row = cov[(cov["lexicon"] == "industries") & (cov["term"] == "人工智能")].iloc[0]
    assert row["count"] == sum(t.count("人工智能") for t in TEXT.values())
    assert row["documents"] == sum("人工智能" in t for t in TEXT.values())
    assert row["doc_share"] == pytest.approx(round(row["documents"] / len(TEXT), 4))
    # the expanding term 中西部 is one occurrence, though it yields two mentions
    zxb = cov[(cov["lexicon"] == "regions") & (cov["term"] == "中西部")].iloc[0]
    assert zxb["count"] == 1
    # 庆阳市 and 庆阳 are separate rows of one entry
    qy = cov[cov["id"] == "621000"].set_index("term")
    assert qy.loc["庆阳市", "count"] == 1 and qy.loc["庆阳", "count"] == TEXT["a.txt#1"].count("庆阳") - 1
    every_term = {t for lex in synth.lexicons for t, _, _ in lex.terms()}
    assert every_term <= set(cov["term"])


def test_dead_entries(tables):
    dead = tables["dead_entries"]
    assert "objects" in set(dead["id"])  # 劳动对象 never occurs
    assert "621000" not in set(dead["id"])
    assert "macro.central" in set(dead["id"])  # only reached through 中西部, never named


def test_document_coverage(tables):
    dc = tables["document_coverage"].set_index("doc")
    assert dc.loc["a.txt#3", "industry.future"] == 1  # 量子科技
    assert dc.loc["a.txt#1", "dimension.tech"] == 1
    assert dc.loc["a.txt#1", "dimensions_touched"] == 3  # tech, labor, org
    assert dc.loc["d.txt", "industry_groups_touched"] == 0


def test_candidate_terms(tables):
    cand = tables["candidate_terms"].set_index("term")
    assert "生成式人工智能" in cand.index
    assert cand.loc["生成式人工智能", "relation"] == "contains"
    assert cand.loc["生成式人工智能", "near"] == "人工智能"
    assert cand.loc["生成式人工智能", "count"] == sum(t.count("生成式人工智能") for t in TEXT.values())
    assert "生成式" not in cand.index  # swallowed by the longer phrase
    assert "人工智能" not in cand.index  # known terms are never candidates


def test_indicator_tables(tables):
    links = tables["indicator_links"]
    summary = tables["indicator_summary"].set_index("indicator")
    assert summary.loc["E3.1", "addressed"] is False or not summary.loc["E3.1", "addressed"]
    assert summary.loc["T1.1", "statements"] == (links["indicator"] == "T1.1").sum()
    assert summary["attention_share"].sum() == pytest.approx(1, abs=1e-3)
    matrix = tables["doc_indicator_matrix"]
    assert matrix[["T1.1", "T3.1", "E3.1"]].to_numpy().sum() == len(links)
    ranked = tables["indicator_documents"]
    first = ranked[ranked["indicator"] == "T1.1"].iloc[0]
    assert first["rank"] == 1
    assert first["score_sum"] == ranked[ranked["indicator"] == "T1.1"]["score_sum"].max()


def test_tables_are_deterministic(synth):
    from nqpf_text.report import build_tables

    a, b = build_tables(synth), build_tables(synth)
    assert list(a) == list(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])


def test_empty_corpus(tmp_path):
    from nqpf_text.pipeline import CorpusTables
    from nqpf_text.report import build_tables, write_reports

    empty = CorpusTables(
        documents=pd.DataFrame(columns=["doc", "source", "title", "date", "chars", "text"]),
        paragraphs=pd.DataFrame(),
        footnotes=pd.DataFrame(),
        sentences=pd.DataFrame(columns=["doc", "sentence", "start", "end", "text", "boilerplate"]),
        mentions=pd.DataFrame(columns=["doc", "start", "end", "text", "category", "id", "role", "term"]),
        links=pd.DataFrame(columns=["doc", "statement", "indicator", "score", "evidence", "rank"]),
        skipped=pd.DataFrame(columns=["file", "reason"]),
        issues=pd.DataFrame(columns=["file", "place", "message"]),
    )
    out = build_tables(empty)
    written = write_reports(out, tmp_path)
    assert (tmp_path / "report.html").is_file() and len(written) >= len(out)
